import Foundation

/// The id that ties a request's log lines, its response and a client's report together.
enum RequestID {
    private static let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-".utf8)

    /// A client's id when it is 1 to 128 characters of `A-Z a-z 0-9 . _ -`, else nil.
    static func accepted(_ candidate: String?) -> String? {
        guard let candidate, (1...128).contains(candidate.utf8.count), candidate.utf8.allSatisfy(allowed.contains)
        else { return nil }
        return candidate
    }

    /// A fresh random (version 4) UUID, upper-case, as `UUID().uuidString` writes it. Foundation's `UUID()` opens,
    /// reads and closes /dev/urandom on each call on Linux: 3 µs, where two `getrandom` calls take 0.5 µs
    /// (docs/benchmarks.md).
    static func fresh() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeBytes(of: &bytes) { raw in
            UUID(
                uuid: (
                    raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6] & 0x0F | 0x40, raw[7], raw[8] & 0x3F | 0x80,
                    raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]
                )
            ).uuidString
        }
    }
}
