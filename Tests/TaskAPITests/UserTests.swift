import Foundation
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

@Suite struct UserTests {
    @Test(arguments: TestDatabase.all)
    func registrationAnswersIdAndUsernameAndNothingElse(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.register("alice", password: "correct horse")
            #expect(response.status == .created)
            #expect(try Set(response.jsonObject.keys) == ["id", "username"])
            let token = try await app.login("alice", password: "correct horse")
            for path in ["/users", "/users/me"] {
                let body = try await app.send(.GET, path, token: token).body.string
                #expect(
                    !body.contains("password") && !body.contains("hash") && !body.contains("$2b$"), "\(path): \(body)")
            }
        }
    }

    @Test(
        arguments: TestDatabase.all,
        [
            (#"{"username":"ab","password":"test123"}"#, "body.username:string_too_short"),
            (
                #"{"username":"\#(String(repeating: "a", count: 51))","password":"test123"}"#,
                "body.username:string_too_long"
            ),
            (#"{"username":"bad name!","password":"test123"}"#, "body.username:string_pattern_mismatch"),
            (#"{"username":"testuser","password":"12345"}"#, "body.password:string_too_short"),
            (
                #"{"username":"testuser","password":"\#(String(repeating: "a", count: 73))"}"#,
                "body.password:string_too_long"
            ),
            // 37 characters but 74 bytes: bcrypt's limit is in bytes.
            (
                #"{"username":"testuser","password":"\#(String(repeating: "ñ", count: 37))"}"#,
                "body.password:string_too_long"
            ),
            (#"{"username":"testuser","password":"test123\u0000"}"#, "body.password:string_pattern_mismatch"),
            (#"{"password":"test123"}"#, "body.username:missing"),
            (#"{"username":42,"password":"test123"}"#, "body.username:string_type"),
        ])
    func invalidRegistrationIs422NamingTheField(_ database: TestDatabase, _ example: (body: String, expected: String))
        async throws
    {
        let (body, expected) = example
        try await withTestApp(database) { app in
            let response = try await app.send(.POST, "/users", json: body)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.validationErrors == [expected])
            #expect(try await UserRecord.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func passwordOfExactly72BytesIsKeptWhole(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let password = String(repeating: "p", count: 71) + "!"
            let registered = try await app.register(password: password)
            let login = try await app.send(
                .POST, "/auth/login", json: #"{"username":"testuser","password":"\#(password)"}"#)
            // A truncating implementation would accept the 71-byte prefix too.
            let prefix = String(password.dropLast())
            let prefixLogin = try await app.send(
                .POST, "/auth/login", json: #"{"username":"testuser","password":"\#(prefix)"}"#)
            #expect(registered.status == .created)
            #expect(login.status == .ok)
            #expect(prefixLogin.status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func takenUsernameIgnoringCaseIs409(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            #expect(try await app.register("testuser").status == .created)
            for name in ["testuser", "TestUser"] {
                let response = try await app.register(name)
                #expect(response.status == .conflict)
                #expect(response.body.string == #"{"detail":"Username already registered"}"#)
            }
            #expect(try await UserRecord.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func concurrentRegistrationsOfOneNameLetExactlyOneWin(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let names = ["racer", "RACER", "Racer", "rAcEr", "racer", "RaCeR", "racER", "RACer"]
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for name in names { group.addTask { try await app.register(name).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == names.count - 1)
            #expect(try await UserRecord.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func listUsersIsOrderedByIdAndPaged(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp("carol")
            _ = try await app.register("alice")
            _ = try await app.register("bob")
            let all = try await app.send(.GET, "/users", token: token)
            #expect(
                all.body.string
                    == #"[{"id":1,"username":"carol"},{"id":2,"username":"alice"},{"id":3,"username":"bob"}]"#)
            let page = try await app.send(.GET, "/users?limit=1&offset=1", token: token)
            #expect(page.body.string == #"[{"id":2,"username":"alice"}]"#)
        }
    }

    @Test(arguments: TestDatabase.all)
    func usersMeIsTheCaller(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp("alice")
            let token = try await app.signUp("bob")
            let me = try await app.send(.GET, "/users/me", token: token)
            #expect(me.body.string == #"{"id":2,"username":"bob"}"#)
        }
    }
}
