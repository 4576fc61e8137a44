import FluentKit

/// The tasks a list shows: one owner's, optionally only those with the given completion state. The page and the
/// total come from one statement through the same filter, so `X-Total-Count` always matches the rows.
struct TaskSelection: Sendable {
    let ownerID: Int
    let completed: Bool?

    /// One page of the selected tasks by id, and how many there are in all.
    func page(limit: Int, offset: Int, on database: any Database) async throws -> (tasks: [TaskRow], total: Int) {
        let rows = try await rows(limit: limit, offset: offset, on: database)
        if let first = rows.first { return (rows.map(\.task), first.total) }
        guard offset > 0 else { return ([], 0) }
        // A page past the end has no row to carry the total: the selection's first row carries it.
        return ([], try await self.rows(limit: 1, offset: 0, on: database).first?.total ?? 0)
    }

    private func rows(limit: Int, offset: Int, on database: any Database) async throws -> [TaskPageRow] {
        if let completed {
            return try await database.run(
                ListTasksByCompletion(ownerID: ownerID, completed: completed, limit: limit, offset: offset))
        }
        return try await database.run(ListTasks(ownerID: ownerID, limit: limit, offset: offset))
    }
}
