import Fluent
import SQLKit
import TaskAPIContract

extension APIHandlers {
    /// Liveness: the process answers HTTP.
    func checkHealth(_ input: Operations.CheckHealth.Input) async throws -> Operations.CheckHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    /// Readiness: the database answers a trivial query.
    func checkReadiness(_ input: Operations.CheckReadiness.Input) async throws -> Operations.CheckReadiness.Output {
        do {
            try await database().sql().raw("SELECT 1").run()
            return .ok(.init(body: .json(.init(status: .ok))))
        } catch {
            return .serviceUnavailable(.init(body: .json(.init(detail: "Database unavailable"))))
        }
    }
}
