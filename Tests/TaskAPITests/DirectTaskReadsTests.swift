import Foundation
import HTTPTypes
import OpenAPIRuntime
import Synchronization
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

/// `DirectTaskReads` answers the hot reads itself: its answers must be the generated code's, byte for byte.
@Suite struct DirectTaskReadsTests {
    @Test(arguments: TestDatabase.all)
    func directAnswersAreTheGeneratedCodesAnswers(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let titles = [#"quote " back \ slash / tab \#t"#, "naïve 中文 😀", "plain"]
            var ids: [Int64] = []
            for (index, title) in titles.enumerated() {
                let description = index == 1 ? "null" : #""line\nbreak \u0001""#
                let json =
                    #"{"title":\#(String(decoding: try JSONEncoder().encode(title), as: UTF8.self)),"#
                    + #""description":\#(description),"completed":\#(index == 0)}"#
                ids.append(try await app.createTask(json, token: token).id)
            }
            let paths = [
                "/tasks", "/tasks?limit=2&offset=1", "/tasks?completed=true", "/tasks?completed=false&limit=05",
                "/tasks?offset=10", "/tasks?unknown=1", "/tasks/\(ids[0])", "/tasks/\(ids[1])", "/tasks/999999",
            ]
            for path in paths {
                #expect(DirectTaskReads.listQuery(in: path) != nil)
                let direct = try await app.send(.GET, path, token: token)
                // An Accept header with a parameter is left to the generated code, which takes it as JSON.
                let generated = try await app.send(
                    .GET, path, token: token, headers: ["Accept": "application/json; q=0.9"])
                #expect(direct.status == generated.status, "\(path)")
                #expect(direct.body == generated.body, "\(path): \(direct.body.string) / \(generated.body.string)")
                let headers = { (response: TestingHTTPResponse) in
                    response.headers.filter { $0.name.lowercased() != "x-request-id" }.map { "\($0.name): \($0.value)" }
                }
                #expect(headers(direct) == headers(generated), "\(path)")
            }
        }
    }

    @Test func aPlainReadIsAnsweredWithoutTheGeneratedCode() async throws {
        let task = TaskJSONTests.task(title: "t", description: nil)
        let reads = DirectTaskReads(
            listTasks: { _ in .ok(.init(headers: .init(xTotalCount: 1), body: .json([task]))) },
            readTask: { $0.path.taskId == 7 ? .ok(.init(body: .json(task))) : .notFound(.taskNotFound) })
        let handedOn = Mutex(0)
        let next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?) =
            {
                _, _, _ in
                handedOn.withLock { $0 += 1 }
                return (HTTPResponse(status: .noContent), nil)
            }
        func answer(_ path: String, _ operation: String, taskID: Substring? = nil, accept: String? = nil)
            async throws -> (HTTPResponse, [UInt8])
        {
            var request = HTTPRequest(method: .get, scheme: nil, authority: nil, path: path)
            request.headerFields[.accept] = accept
            let metadata = ServerRequestMetadata(pathParameters: taskID.map { ["task_id": $0] } ?? [:])
            let (response, body) = try await reads.intercept(
                request, body: nil, metadata: metadata, operationID: operation, next: next)
            guard let body else { return (response, []) }
            return (response, try await [UInt8](collecting: body, upTo: 1 << 20))
        }

        let list = try await answer("/tasks?limit=5", Operations.ListTasks.id)
        #expect(list.0.status == .ok && list.0.headerFields[HTTPField.Name("X-Total-Count")!] == "1")
        #expect(list.1 == TaskJSON.list([task]))
        let found = try await answer("/tasks/7", Operations.ReadTask.id, taskID: "7")
        #expect(found.0.status == .ok && found.1 == TaskJSON.task(task))
        let missing = try await answer("/tasks/8", Operations.ReadTask.id, taskID: "8")
        #expect(missing.0.status == .notFound && String(decoding: missing.1, as: UTF8.self).contains("Task not found"))
        #expect(handedOn.withLock { $0 } == 0, "a plain read went to the generated code")

        _ = try await answer("/tasks", Operations.ListTasks.id, accept: "text/html")
        _ = try await answer("/tasks?limit=%35", Operations.ListTasks.id)
        _ = try await answer("/tasks", Operations.CreateTask.id)
        #expect(handedOn.withLock { $0 } == 3)
    }

    @Test func onlyPlainQueriesAndAcceptHeadersAreTakenDirectly() throws {
        let plain = try #require(DirectTaskReads.listQuery(in: "/tasks?limit=5&offset=10&completed=false&x=y"))
        #expect(plain.limit == 5 && plain.offset == 10 && plain.completed == false)
        #expect(DirectTaskReads.listQuery(in: "/tasks") == .init())
        for path in [
            "/tasks?limit=%35", "/tasks?completed=true+", "/tasks?limit=1&limit=2", "/tasks?limit=5&", "/tasks?=5",
            "/tasks?completed", "/tasks?completed=TRUE", "/tasks?limit=ten",
        ] {
            #expect(DirectTaskReads.listQuery(in: path) == nil, "\(path)")
        }
        for accept in [nil, "application/json", "*/*", "Application/JSON", "application/*"] {
            #expect(DirectTaskReads.answersInJSON(accept), "\(accept ?? "none")")
        }
        for accept in ["application/json; q=0.9", "text/html, */*", "text/plain", ""] {
            #expect(!DirectTaskReads.answersInJSON(accept), "\(accept)")
        }
    }
}
