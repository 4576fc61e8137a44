#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's limit on open files, which every connection, database connection and open file counts against.
/// Past it, `accept` fails and new connections wait in the listen queue, slowing everyone down: exactly what
/// `MAX_CONNECTIONS` is there to prevent, so the cap has to fit under it.
enum OpenFileLimit {
    /// Raises the soft limit to the hard one, as Go's runtime does at start-up (shells often set 1024 while the hard
    /// limit allows far more), and returns the soft limit in force; nil when it cannot be read or is unlimited.
    static func raiseToHardLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return Int(exactly: limit.rlim_cur)  // Linux's unlimited is all ones, past Int.max
    }

    #if os(Linux)
        static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        static let resource = RLIMIT_NOFILE
    #endif
}
