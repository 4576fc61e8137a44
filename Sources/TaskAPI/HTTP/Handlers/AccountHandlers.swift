import Fluent
import TaskAPIContract

extension APIHandlers {
    /// Changes the caller's password after checking the current one, and ends their other sessions.
    func changePassword(_ input: Operations.ChangePassword.Input) async throws -> Operations.ChangePassword.Output {
        let caller = try Caller.required()
        let body =
            switch input.body {
            case .json(let body): body
            }
        try ValidationFailure.check(UserRules.passwordViolations(body.newPassword, field: "new_password"))
        let user = try await account(of: caller)
        guard try await confirm(body.currentPassword, for: user) else { return .badRequest(.incorrectPassword) }
        user.passwordHash = try await passwords.hash(body.newPassword)
        try await durably { try await user.update(on: $0) }
        try await sessions.endAll(of: caller.id, except: caller.sessionID, reason: .passwordChange)
        return .noContent(.init())
    }

    /// Deletes the caller's account, with its tasks and sessions (the foreign keys cascade), after checking the
    /// password. The username is free again at once.
    func deleteCurrentUser(_ input: Operations.DeleteCurrentUser.Input) async throws
        -> Operations.DeleteCurrentUser.Output
    {
        let caller = try Caller.required()
        let body =
            switch input.body {
            case .json(let body): body
            }
        let user = try await account(of: caller)
        guard try await confirm(body.password, for: user) else { return .badRequest(.incorrectPassword) }
        try await durably { try await user.delete(on: $0) }
        return .noContent(.init())
    }

    private func account(of caller: Caller) async throws -> UserRecord {
        guard let user = try await UserRecord.find(caller.id, on: database()) else { throw APIError.invalidToken }
        return user
    }

    private func confirm(_ password: String, for user: UserRecord) async throws -> Bool {
        try await checkPassword(password, username: user.username, address: origin.address) { user.passwordHash }
    }
}

extension Components.Responses.IncorrectPassword {
    static let incorrectPassword = Self(body: .json(.init(detail: "Incorrect password")))
}
