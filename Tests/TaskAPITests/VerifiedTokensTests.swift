import Foundation
import JWT
import Testing

@testable import TaskAPI

/// The cache of verified access tokens must never let through a token the full check would refuse.
@Suite struct VerifiedTokensTests {
    static func tokens(audience: String = "task-api") async -> AccessTokens {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: "verified-tokens-test-secret-0123456789"), digestAlgorithm: .sha256)
        return AccessTokens(keys: keys, lifetime: .seconds(60), issuer: "task-api", audience: audience)
    }

    static let subject = AccessTokens.Subject(userID: 7, sessionID: UUID())
    static let now = Date(timeIntervalSince1970: 1_764_032_523)

    @Test func aTokenIsKeptOnceVerifiedAndRefusedFromItsExpiryOn() async throws {
        let tokens = await Self.tokens()
        let token = try await tokens.issue(for: Self.subject, now: Self.now).token
        #expect(tokens.verified.count == 0)
        #expect(await tokens.subject(of: token, now: Self.now) == Self.subject)
        #expect(tokens.verified.count == 1)
        #expect(await tokens.subject(of: token, now: Self.now.addingTimeInterval(59)) == Self.subject)
        #expect(await tokens.subject(of: token, now: Self.now.addingTimeInterval(60)) == nil)
    }

    @Test func onlyATokenThatPassesEveryCheckIsKept() async throws {
        let tokens = await Self.tokens()
        let token = try await tokens.issue(for: Self.subject, now: Self.now).token
        #expect(await tokens.subject(of: token, now: Self.now) == Self.subject)
        // The same signature over another payload, and a valid token for another audience.
        var parts = token.split(separator: ".").map(String.init)
        parts[1] = parts[1].replacingOccurrences(of: "a", with: "b")
        let forged = parts.joined(separator: ".")
        let elsewhere = try await Self.tokens(audience: "another-api").issue(for: Self.subject, now: Self.now).token
        for refused in [forged, elsewhere, "not-a-token"] {
            #expect(await tokens.subject(of: refused, now: Self.now) == nil)
        }
        #expect(tokens.verified.count == 1)
    }

    @Test func theCacheStaysWithinItsCapacityDroppingExpiredTokensFirst() {
        let cache = VerifiedTokens(capacity: 3)
        let later = Self.now.addingTimeInterval(100)
        cache.keep("a", for: Self.subject, until: Self.now.addingTimeInterval(10), now: Self.now)
        cache.keep("b", for: Self.subject, until: later, now: Self.now)
        cache.keep("c", for: Self.subject, until: later, now: Self.now)
        cache.keep("d", for: Self.subject, until: later, now: Self.now.addingTimeInterval(20))
        #expect(cache.count == 3)
        #expect(cache.subject(of: "a", now: Self.now) == nil, "the expired token went first")
        #expect(["b", "c", "d"].allSatisfy { cache.subject(of: $0, now: Self.now) == Self.subject })
        cache.keep("e", for: Self.subject, until: later, now: Self.now)
        #expect(cache.count == 1 && cache.subject(of: "e", now: Self.now) == Self.subject)
    }
}
