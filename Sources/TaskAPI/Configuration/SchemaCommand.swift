import Fluent
import Vapor

/// `TaskAPIServer schema current | history | downgrade --steps N|base`: what the original's `alembic current`,
/// `alembic history` and `alembic downgrade` did, over the same migrations `migrate` applies. Unlike
/// `migrate --revert`, which reverts the last batch, a downgrade goes back one revision at a time.
struct SchemaCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "current, history or downgrade")
        var action: String

        @Option(name: "steps", help: "downgrade only: how many revisions to revert (default 1), or base for all")
        var steps: String?
    }

    var help: String { "Shows the schema revision (current, history) or reverts revisions one at a time (downgrade)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let database = context.application.db
        try await context.application.migrator.setupIfNeeded().get()
        let applied = try await SchemaMigrations.applied(on: database)
        switch signature.action {
        case "current":
            if let current = applied.last {
                context.console.print(current.id + (current.id == SchemaMigrations.revisions.last?.id ? " (head)" : ""))
            }
        case "history":
            let appliedIDs = Set(applied.map(\.id))
            for revision in SchemaMigrations.revisions.reversed() {
                let state = appliedIDs.contains(revision.id) ? "applied" : "pending"
                context.console.print("\(revision.previous ?? "<base>") -> \(revision.id), \(revision.name) [\(state)]")
            }
        case "downgrade":
            let count = try Self.steps(signature.steps, applied: applied.count)
            let reverted = try await SchemaMigrations.revert(last: count, on: database)
            if reverted.isEmpty { context.console.print("No migrations to revert.") }
            for revision in reverted { context.console.print("Reverted \(revision.id) (\(revision.name))") }
        default:
            throw SchemaCommandError("unknown action '\(signature.action)': use current, history or downgrade")
        }
    }

    private static func steps(_ text: String?, applied: Int) throws -> Int {
        guard let text else { return 1 }
        if text == "base" { return applied }
        guard let steps = Int(text), steps > 0 else {
            throw SchemaCommandError("--steps must be a positive whole number or base, got '\(text)'")
        }
        return steps
    }
}

struct SchemaCommandError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
