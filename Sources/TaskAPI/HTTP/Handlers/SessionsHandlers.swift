import Fluent
import Foundation
import TaskAPIContract

extension APIHandlers {
    /// The caller's live sessions, newest first, marking the one making this request.
    func listSessions(_ input: Operations.ListSessions.Input) async throws -> Operations.ListSessions.Output {
        let caller = try Caller.required()
        let records = try await sessions.live(of: caller.id)
        return .ok(.init(body: .json(try records.map { try SessionResource($0, currentID: caller.sessionID) })))
    }

    /// Ends one of the caller's sessions; another user's session is as unknown as a missing one.
    func deleteSession(_ input: Operations.DeleteSession.Input) async throws -> Operations.DeleteSession.Output {
        let caller = try Caller.required()
        guard let id = UUID(uuidString: input.path.sessionId), try await sessions.end(id, of: caller.id, reason: .ended)
        else {
            return .notFound(.init(body: .json(.init(detail: "Session not found"))))
        }
        return .noContent(.init())
    }

    /// Ends every session of the caller, this one included.
    func deleteSessions(_ input: Operations.DeleteSessions.Input) async throws -> Operations.DeleteSessions.Output {
        let caller = try Caller.required()
        try await sessions.endAll(of: caller.id, reason: .endedAll)
        return .noContent(.init())
    }
}

extension SessionResource {
    init(_ record: UserSessionRecord, currentID: UUID) throws {
        let id = try record.requireID()
        self.init(
            id: id.uuidString.lowercased(), createdAt: record.createdAt, lastUsedAt: record.lastUsedAt,
            userAgent: record.userAgent, current: id == currentID)
    }
}
