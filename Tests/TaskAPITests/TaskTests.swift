import Foundation
import TaskAPIContract
import Testing
import VaporTesting

@testable import TaskAPI

@Suite struct TaskTests {
    @Test(arguments: TestDatabase.all)
    func createdTaskHasEveryFieldWithDefaultsAndIgnoresIdAndOwner(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            _ = try await app.signUp("alice")
            let token = try await app.signUp("bob")
            let response = try await app.send(
                .POST, "/tasks", json: #"{"title":"Buy milk","id":99,"owner_id":1}"#, token: token)
            #expect(response.status == .created)
            let json = try response.jsonObject
            #expect(
                Set(json.keys) == ["id", "title", "description", "completed", "owner_id", "created_at", "updated_at"])
            #expect(json["description"] is NSNull)
            let task = try response.decoded(TaskResource.self)
            #expect(task.id == 1 && task.ownerID == 2 && !task.completed)
            #expect(abs(task.createdAt.timeIntervalSinceNow) < 60 && task.updatedAt >= task.createdAt)
            #expect((json["created_at"] as? String)?.hasSuffix("Z") == true)
        }
    }

    @Test(
        arguments: TestDatabase.all,
        [
            (#"{"title":""}"#, "body.title:string_too_short"),
            (#"{"title":"\#(String(repeating: "t", count: 256))"}"#, "body.title:string_too_long"),
            (#"{"description":"no title"}"#, "body.title:missing"),
            (
                #"{"title":"x","description":"\#(String(repeating: "d", count: 10_001))"}"#,
                "body.description:string_too_long"
            ),
            (#"{"title":"x","completed":"maybe"}"#, "body.completed:bool_parsing"),
            (#"{"title":["x"]}"#, "body.title:string_type"),
            (#"{"title":null}"#, "body.title:string_type"),
            (#"{"title":"x","completed":null}"#, "body.completed:bool_parsing"),
            (#"{"title":"a\u0000b"}"#, "body.title:string_pattern_mismatch"),
            (#"{"title":"x","description":"\u0000"}"#, "body.description:string_pattern_mismatch"),
        ])
    func invalidTaskIs422NamingTheField(_ database: TestDatabase, _ example: (body: String, expected: String))
        async throws
    {
        let (body, expected) = example
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let response = try await app.send(.POST, "/tasks", json: body, token: token)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.validationErrors == [expected])
            #expect(try await TaskRecord.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func boundaryLengthsAreAccepted(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let title = String(repeating: "é", count: 255)
            let description = String(repeating: "d", count: 10_000)
            let task = try await app.createTask(
                #"{"title":"\#(title)","description":"\#(description)","completed":true}"#, token: token)
            #expect(task.title == title && task.description == description && task.completed)
        }
    }

    @Test(arguments: TestDatabase.all)
    func listIsTheCallersTasksByIdFilteredAndPagedWithATotal(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let other = try await app.signUp("other")
            _ = try await app.createTask(token: other)
            let token = try await app.signUp()
            var ids: [Int64] = []
            for index in 1...5 {
                ids.append(
                    try await app.createTask(
                        #"{"title":"Task \#(index)","completed":\#(index % 2 == 0)}"#, token: token
                    ).id)
            }
            let all = try await app.send(.GET, "/tasks", token: token)
            #expect(try all.decoded([TaskResource].self).map(\.id) == ids)
            #expect(all.headers.first(name: "X-Total-Count") == "5")
            let done = try await app.send(.GET, "/tasks?completed=true", token: token)
            #expect(try done.decoded([TaskResource].self).map(\.id) == [ids[1], ids[3]])
            #expect(done.headers.first(name: "X-Total-Count") == "2")
            let page = try await app.send(.GET, "/tasks?completed=false&limit=1&offset=1", token: token)
            #expect(try page.decoded([TaskResource].self).map(\.id) == [ids[2]])
            #expect(page.headers.first(name: "X-Total-Count") == "3")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPagePastTheEndIsEmptyButStillCountsTheTotal(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            for index in 1...3 {
                _ = try await app.createTask(#"{"title":"Task \#(index)","completed":\#(index == 1)}"#, token: token)
            }
            for (query, total) in [("offset=3", "3"), ("offset=50&limit=2", "3"), ("completed=false&offset=2", "2")] {
                let page = try await app.send(.GET, "/tasks?\(query)", token: token)
                #expect(page.status == .ok && page.body.string == "[]", "\(query)")
                #expect(page.headers.first(name: "X-Total-Count") == total, "\(query)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func listReturnsAtMost100ByDefault(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            for index in 1...101 {
                try await TaskRecord(ownerID: 1, title: "Task \(index)", description: nil, completed: false).create(
                    on: app.db)
            }
            let response = try await app.send(.GET, "/tasks", token: token)
            #expect(try response.decoded([TaskResource].self).count == 100)
            #expect(response.headers.first(name: "X-Total-Count") == "101")
            let all = try await app.send(.GET, "/tasks?limit=1000", token: token)
            #expect(try all.decoded([TaskResource].self).count == 101)
        }
    }

    @Test(arguments: TestDatabase.all)
    func putReplacesEveryFieldWithCreateDefaults(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let task = try await app.createTask(
                #"{"title":"Old","description":"notes","completed":true}"#, token: token)
            let response = try await app.send(.PUT, "/tasks/\(task.id)", json: #"{"title":"New"}"#, token: token)
            #expect(response.status == .ok)
            let replaced = try response.decoded(TaskResource.self)
            #expect(replaced.title == "New" && replaced.description == nil && !replaced.completed)
            #expect(replaced.createdAt == task.createdAt && replaced.updatedAt >= task.updatedAt)
            let invalid = try await app.send(
                .PUT, "/tasks/\(task.id)", json: #"{"description":"no title"}"#, token: token)
            #expect(try invalid.validationErrors == ["body.title:missing"])
            let nullCompleted = try await app.send(
                .PUT, "/tasks/\(task.id)", json: #"{"title":"x","completed":null}"#, token: token)
            #expect(try nullCompleted.validationErrors == ["body.completed:bool_parsing"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func patchChangesOnlyTheFieldsSent(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let task = try await app.createTask(#"{"title":"Title","description":"notes"}"#, token: token)
            let completed = try await app.send(.PATCH, "/tasks/\(task.id)", json: #"{"completed":true}"#, token: token)
            let afterComplete = try completed.decoded(TaskResource.self)
            #expect(afterComplete.title == "Title" && afterComplete.description == "notes" && afterComplete.completed)
            let cleared = try await app.send(.PATCH, "/tasks/\(task.id)", json: #"{"description":null}"#, token: token)
            let afterClear = try cleared.decoded(TaskResource.self)
            #expect(afterClear.description == nil && afterClear.title == "Title" && afterClear.completed)
            let unchanged = try await app.send(.PATCH, "/tasks/\(task.id)", json: "{}", token: token)
            #expect(try unchanged.decoded(TaskResource.self) == afterClear)
        }
    }

    @Test(
        arguments: TestDatabase.all,
        [
            (#"{"title":null}"#, "body.title:string_type"),
            (#"{"completed":null}"#, "body.completed:bool_parsing"),
            (#"{"title":""}"#, "body.title:string_too_short"),
        ])
    func patchRejectsInvalidValuesAndKeepsTheTask(_ database: TestDatabase, _ example: (body: String, expected: String))
        async throws
    {
        let (body, expected) = example
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            let task = try await app.createTask(token: token)
            let response = try await app.send(.PATCH, "/tasks/\(task.id)", json: body, token: token)
            #expect(response.status == .unprocessableEntity)
            #expect(try response.validationErrors == [expected])
            #expect(try await app.send(.GET, "/tasks/\(task.id)", token: token).decoded(TaskResource.self) == task)
        }
    }

    @Test(arguments: TestDatabase.all)
    func userCannotReadListUpdateOrDeleteAnotherUsersTask(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let alice = try await app.signUp("alice")
            let task = try await app.createTask(#"{"title":"Alice's secret"}"#, token: alice)
            let bob = try await app.signUp("bob")
            let attempts: [(HTTPMethod, String?)] = [
                (.GET, nil), (.PUT, #"{"title":"Bob was here"}"#), (.PATCH, #"{"completed":true}"#), (.DELETE, nil),
            ]
            for (method, body) in attempts {
                let response = try await app.send(method, "/tasks/\(task.id)", json: body, token: bob)
                #expect(response.status == .notFound, "\(method)")
                #expect(response.body.string == #"{"detail":"Task not found"}"#, "\(method)")
            }
            let bobsList = try await app.send(.GET, "/tasks", token: bob)
            #expect(bobsList.body.string == "[]" && bobsList.headers.first(name: "X-Total-Count") == "0")
            let untouched = try await app.send(.GET, "/tasks/\(task.id)", token: alice)
            #expect(try untouched.decoded(TaskResource.self) == task)
        }
    }

    @Test(arguments: TestDatabase.all)
    func missingTaskIs404ForEveryMethod(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let token = try await app.signUp()
            for (method, body) in [(HTTPMethod.GET, nil), (.PUT, #"{"title":"x"}"#), (.PATCH, "{}"), (.DELETE, nil)]
                as [(HTTPMethod, String?)]
            {
                let response = try await app.send(method, "/tasks/424242", json: body, token: token)
                #expect(response.status == .notFound, "\(method)")
                #expect(response.body.string == #"{"detail":"Task not found"}"#)
            }
        }
    }
}
