import Testing
import VaporTesting

@testable import TaskAPI

/// Browser clients on other origins, when `CORS_ORIGINS` allows them.
@Suite struct CORSTests {
    @Test func preflightsAndErrorsCarryCORSHeadersAndARequestID() async throws {
        try await withTestApp(.sqlite, adjust: { $0.corsOrigins = ["https://app.example"] }) { app in
            let preflight = try await app.send(
                .OPTIONS, "/tasks",
                headers: [
                    "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "authorization, content-type",
                ])
            #expect(preflight.headers.first(name: "Access-Control-Allow-Origin") == "https://app.example")
            #expect(preflight.headers.first(name: "X-Request-ID") != nil)
            let refused = try await app.send(.GET, "/tasks", headers: ["Origin": "https://app.example"])
            #expect(refused.status == .unauthorized)
            #expect(refused.headers.first(name: "Access-Control-Allow-Origin") == "https://app.example")
            #expect(
                refused.headers.first(name: "Access-Control-Expose-Headers")?.lowercased().contains("x-request-id")
                    == true)
        }
    }

    @Test func otherOriginsAreNotAllowed() async throws {
        try await withTestApp(.sqlite, adjust: { $0.corsOrigins = ["https://app.example"] }) { app in
            let response = try await app.send(.GET, "/health", headers: ["Origin": "https://evil.example"])
            #expect(response.headers.first(name: "Access-Control-Allow-Origin") != "https://evil.example")
        }
    }
}
