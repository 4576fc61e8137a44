import Foundation
import SQLKit
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// Errors outside any one resource: malformed requests, limits, unknown routes, and unexpected failures.
@Suite struct HTTPErrorTests {
    @Test(
        arguments: TestDatabase.all,
        [
            (#"{"title": "unterminated"#, "body:json_invalid"),
            ("", "body:missing"),
            (#"["a","b"]"#, "body:model_attributes_type"),
        ])
    func malformedBodyIs422(_ database: TestDatabase, _ example: (body: String, expected: String)) async throws {
        let (body, expected) = example
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let response = try await app.send(
                .POST, "/tasks", token: token, headers: ["Content-Type": "application/json"], body: body)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.validationErrors == [expected])
        }
    }

    @Test(
        arguments: TestDatabase.all,
        [
            ("/tasks/abc", ["path.task_id:int_parsing"]),
            ("/tasks?limit=abc", ["query.limit:int_parsing"]),
            ("/tasks?limit=0", ["query.limit:greater_than_equal"]),
            ("/tasks?limit=1001", ["query.limit:less_than_equal"]),
            ("/tasks?offset=-1", ["query.offset:greater_than_equal"]),
            ("/tasks?completed=maybe&limit=x", ["query.limit:int_parsing", "query.completed:bool_parsing"]),
            ("/users?limit=5000", ["query.limit:less_than_equal"]),
        ])
    func invalidPathOrQueryParameterIs422NamingIt(
        _ database: TestDatabase, _ example: (path: String, expected: [String])
    ) async throws {
        let (path, expected) = example
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let response = try await app.send(.GET, path, token: token)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.validationErrors == expected)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anonymousRequestGets401BeforeAnyValidation(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let response = try await app.send(.POST, "/tasks", json: "not json")
            #expect(response.status == .unauthorized)
            #expect(try await app.send(.GET, "/tasks/abc").status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func bodyOverOneMebibyteIs413AndNothingIsStored(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let padding = String(repeating: " ", count: Settings.maximumBodyBytes)
            let response = try await app.send(.POST, "/tasks", json: #"{"title":"big"}"# + padding, token: token)
            #expect(response.status == .payloadTooLarge)
            #expect(response.body.string == #"{"detail":"Request body is larger than 1048576 bytes"}"#)
            #expect(try await TaskRecord.query(on: app.db).count() == 0)
            // Exactly at the limit the body is read and judged on its content.
            let atLimit = #"{"title":"big"}"# + String(repeating: " ", count: Settings.maximumBodyBytes - 15)
            #expect(try await app.send(.POST, "/tasks", json: atLimit, token: token).status == .created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func wrongContentTypeIs415(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let response = try await app.send(
                .POST, "/tasks", token: token, headers: ["Content-Type": "text/plain"], body: #"{"title":"x"}"#)
            #expect(response.status == .unsupportedMediaType)
            #expect(try response.decoded(Components.Schemas.HTTPError.self).detail.contains("application/json"))
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownPathIs404AndWrongMethodIs405(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let unknown = try await app.send(.GET, "/nowhere")
            #expect(unknown.status == .notFound)
            #expect(unknown.body.string == #"{"detail":"Not Found"}"#)
            let wrongMethod = try await app.send(.DELETE, "/users")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.body.string == #"{"detail":"Method Not Allowed"}"#)
            #expect(wrongMethod.headers.first(name: "Allow") == "GET, POST")
            #expect(try await app.send(.POST, "/tasks/1").status == .methodNotAllowed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unexpectedFailureIsAGeneric500AndTheServerKeepsServing(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            try await (app.db as! any SQLDatabase).raw("DROP TABLE tasks").run()
            let response = try await app.send(.GET, "/tasks", token: token)
            #expect(response.status == .internalServerError)
            #expect(response.body.string == #"{"detail":"Internal Server Error"}"#)
            #expect(response.headers.first(name: "X-Request-ID")?.isEmpty == false)
            #expect(try await app.send(.GET, "/users/me", token: token).status == .ok)
        }
    }

    @Test func everyResponseCarriesHardeningHeaders() async throws {
        try await withTestApp(.sqlite) { app in
            for (method, path) in [(HTTPMethod.GET, "/health"), (.GET, "/tasks"), (.GET, "/nowhere"), (.GET, "/docs")] {
                let response = try await app.send(method, path)
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                #expect(response.headers.first(name: "Referrer-Policy") == "no-referrer", "\(path)")
            }
        }
    }
}
