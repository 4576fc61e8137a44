import Foundation
import Synchronization

/// Access tokens that passed every check of `AccessTokens.subject(of:now:)`, with whom they speak for and until
/// when, so that a client's next requests with the same token skip the signature check and its JSON decoding (8%
/// of a read's CPU, docs/benchmarks.md), as Envoy's JWT cache does. Only a token that passed gets in, under its
/// whole text; it is refused again from its expiry on. Revocation is unaffected: every request still checks the
/// token's session in the database.
final class VerifiedTokens: Sendable {
    private struct Entry {
        let subject: AccessTokens.Subject
        let expiry: Date
    }

    /// At most this many tokens are kept (about 300 bytes each).
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int = 4_096) {
        self.capacity = capacity
    }

    /// Whom `token` speaks for, if it passed before and has not expired by `now`.
    func subject(of token: String, now: Date) -> AccessTokens.Subject? {
        entries.withLock { entries in
            guard let entry = entries[token], now < entry.expiry else { return nil }
            return entry.subject
        }
    }

    /// Keeps a token that passed every check. When full, the expired tokens go, or all of them if none has expired:
    /// a client whose token was dropped pays for one more check.
    func keep(_ token: String, for subject: AccessTokens.Subject, until expiry: Date, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { now < $0.value.expiry }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = Entry(subject: subject, expiry: expiry)
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
