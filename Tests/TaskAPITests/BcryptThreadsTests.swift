import Testing

@testable import TaskAPI

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct BcryptThreadsTests {
    #if os(Linux)
        /// bcrypt yields to the event loops: its threads run at a lower priority than the rest of the process.
        @Test func passwordWorkRunsAtALowerPriority() async throws {
            let threads = BcryptThreads()
            let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            let bcrypts = try await threads.run { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
            #expect(bcrypts == BcryptThreads.niceness && bcrypts > own)
            try await threads.shutdown()
        }
    #endif
}
