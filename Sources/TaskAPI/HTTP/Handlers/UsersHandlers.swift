import Fluent
import TaskAPIContract

extension APIHandlers {
    /// Registers a user; the unique index on `lower(username)` decides between concurrent registrations.
    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let body =
            switch input.body {
            case .json(let body): body
            }
        try ValidationFailure.check(UserRules.violations(username: body.username, password: body.password))
        // Counted before the name is looked up, so the limit also slows probing for taken names.
        try await throttle.admitRegistration(address: origin.address)
        let database = try database()
        // Spares the bcrypt work for a name that is plainly taken; the index still settles races.
        if try await UserRecord.find(usernameIgnoringCase: body.username, on: database) != nil {
            return .usernameTaken
        }
        let user = UserRecord(username: body.username, passwordHash: try await passwords.hash(body.password))
        do {
            try await durably { try await user.create(on: $0) }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .usernameTaken
        }
        return .created(.init(body: .json(try .init(user))))
    }

    /// Lists users by id, a page at a time.
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let paging = Paging(limit: input.query.limit, offset: input.query.offset)
        let users = try await UserRecord.query(on: database()).sort(\.$id).offset(paging.offset).limit(paging.limit)
            .all()
        return .ok(.init(body: .json(try users.map(Components.Schemas.User.init))))
    }

    /// The authenticated caller.
    func readCurrentUser(_ input: Operations.ReadCurrentUser.Input) async throws -> Operations.ReadCurrentUser.Output {
        let caller = try Caller.required()
        return .ok(.init(body: .json(.init(id: Int64(caller.id), username: caller.username))))
    }
}

extension Operations.CreateUser.Output {
    static let usernameTaken = Self.conflict(.init(body: .json(.init(detail: "Username already registered"))))
}

extension Components.Schemas.User {
    init(_ record: UserRecord) throws {
        self.init(id: Int64(try record.requireID()), username: record.username)
    }
}
