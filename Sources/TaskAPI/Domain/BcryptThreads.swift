import NIOPosix
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// The threads bcrypt runs on, one per core, at a lower scheduling priority than the event loops. A password
/// check costs about 200 ms of CPU at cost 12; at equal priority, four concurrent logins took half the reads a
/// 2-core machine served (docs/benchmarks.md, login storm). Lowered, bcrypt takes what the requests leave idle,
/// and runs at full speed on an otherwise quiet machine.
final class BcryptThreads: LifecycleHandler, Sendable {
    /// Linux's `nice` for these threads: a weight of 335 against the event loops' 1024.
    static let niceness: Int32 = 5

    private let pool: NIOThreadPool

    init() {
        pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
    }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive {
            Self.lowerThisThreadsPriority()
            return try work()
        }
    }

    func shutdownAsync(_ application: Application) async {
        try? await shutdown()
    }

    func shutdown() async throws {
        try await pool.shutdownGracefully()
    }

    /// Idempotent: the first call on a thread sets its nice value, later ones find it set. On Linux the nice value
    /// belongs to each thread, and `PRIO_PROCESS` with id 0 names the calling one.
    private static func lowerThisThreadsPriority() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }
}
