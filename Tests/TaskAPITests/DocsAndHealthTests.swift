import Foundation
import Testing
import VaporTesting

@testable import TaskAPI
@testable import TaskAPIContract

@Suite struct DocsAndHealthTests {
    @Test func openAPIJSONIsTheContractTheServerIsGeneratedFrom() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.send(.GET, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            #expect(response.body.string == OpenAPIDocument.json)
            let document = try response.jsonObject
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(
                Set(paths.keys) == [
                    "/users", "/users/me", "/users/me/password", "/users/me/sessions",
                    "/users/me/sessions/{session_id}",
                    "/auth/login", "/auth/refresh", "/auth/logout", "/tasks", "/tasks/{task_id}", "/health",
                    "/health/ready",
                ])
        }
    }

    @Test func everyOperationButRegistrationLoginRefreshAndHealthRequiresAToken() {
        let open = ContractIndex.served.operations.filter { !$0.value.requiresAuthentication }.keys
        #expect(Set(open) == ["createUser", "login", "refreshToken", "checkHealth", "checkReadiness"])
        #expect(ContractIndex.served.operations.count == 19)
    }

    @Test func docsPagesLoadTheConfiguredAssetsAndTheDocument() async throws {
        let assets = Settings.DocsAssets(
            swaggerUIScript: "/static/swagger-ui-bundle.js", swaggerUIStyleSheet: "/static/swagger-ui.css",
            redocScript: "/static/redoc.standalone.js")
        try await withTestApp(.sqlite, adjust: { $0.docsAssets = assets }) { app in
            let docs = try await app.send(.GET, "/docs")
            #expect(docs.status == .ok && docs.headers.contentType?.subType == "html")
            for needle in [
                #"src="/static/swagger-ui-bundle.js""#, #"href="/static/swagger-ui.css""#, #"url: "/openapi.json""#,
            ] {
                #expect(docs.body.string.contains(needle), "\(needle)")
            }
            let redoc = try await app.send(.GET, "/redoc")
            #expect(redoc.body.string.contains(#"src="/static/redoc.standalone.js""#))
            #expect(redoc.body.string.contains(#"spec-url="/openapi.json""#))
        }
    }

    @Test func docsPagesDefaultToThePublicCDNAsFastAPIDoes() async throws {
        try await withTestApp(.sqlite) { app in
            let docs = try await app.send(.GET, "/docs").body.string
            let redoc = try await app.send(.GET, "/redoc").body.string
            #expect(docs.contains(Settings.DocsAssets.cdn.swaggerUIScript))
            #expect(redoc.contains(Settings.DocsAssets.cdn.redocScript))
        }
    }

    @Test(arguments: TestDatabase.all)
    func healthAndReadinessAnswerWhileTheDatabaseIsUp(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            #expect(try await app.send(.GET, "/health").body.string == #"{"status":"ok"}"#)
            let ready = try await app.send(.GET, "/health/ready")
            #expect(ready.status == .ok && ready.body.string == #"{"status":"ok"}"#)
        }
    }

    @Test func readinessIs503WhileTheDatabaseIsUnreachable() async throws {
        // Port 1 on loopback: nothing listens there, so every connection is refused at once.
        try await withTestApp(
            .sqlite,
            adjust: {
                $0.database = .postgres(url: "postgres://user:pw@127.0.0.1:1/none")
                // The refused connections are the point of this test, not news for the test log.
                $0.logLevel = .critical
            }, migrate: false
        ) { app in
            #expect(try await app.send(.GET, "/health").status == .ok)
            let ready = try await app.send(.GET, "/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.body.string == #"{"detail":"Database unavailable"}"#)
        }
    }

    @Test func corsAllowsOnlyConfiguredOrigins() async throws {
        try await withTestApp(.sqlite, adjust: { $0.corsOrigins = ["https://app.example"] }) { app in
            let preflight = try await app.send(
                .OPTIONS, "/tasks", headers: ["Origin": "https://app.example", "Access-Control-Request-Method": "POST"])
            #expect(preflight.headers.first(name: "Access-Control-Allow-Origin") == "https://app.example")
            let list = try await app.send(.GET, "/health", headers: ["Origin": "https://evil.example"])
            #expect(list.headers.first(name: "Access-Control-Allow-Origin") != "https://evil.example")
        }
        try await withTestApp(.sqlite) { app in
            let response = try await app.send(.GET, "/health", headers: ["Origin": "https://app.example"])
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") == nil)
        }
    }
}
