import Fluent
import Vapor

/// Vapor's `serve`, applying pending migrations first when `AUTO_MIGRATE` is on, so a fresh machine can run the
/// server with one command. Only `serve` migrates: `migrate --revert` must never migrate first. Only `serve`
/// starts the janitor, since other commands may run on a schema that is not there yet.
struct ServeCommandWithMigrations: AsyncCommand {
    let autoMigrate: Bool
    /// Whether the signing secret was made up for this process: said here rather than by every command.
    let ephemeralSecret: Bool
    let janitor: Janitor

    var help: String { "Applies pending migrations (when AUTO_MIGRATE is on), then serves the API over HTTP." }

    func run(using context: CommandContext, signature: ServeCommand.Signature) async throws {
        if ephemeralSecret {
            context.application.logger.warning(
                "JWT_SECRET is not set: using a random secret for this process only; tokens will not survive a restart")
        }
        if autoMigrate {
            try await context.application.autoMigrate()
        }
        for risk in (try? await DurabilityCheck.risks(on: context.application.db)) ?? [] {
            context.application.logger.warning("\(risk)")
        }
        try await context.application.servers.asyncCommand.run(using: context, signature: signature)
        janitor.start()
    }
}
