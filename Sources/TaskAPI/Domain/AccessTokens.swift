import Foundation
import JWT

/// Issues and checks HS256 access tokens.
struct AccessTokens: Sendable {
    /// The only algorithm accepted; pinned before the signature check so `none` or a swapped `alg` never passes.
    static let algorithm = "HS256"

    let keys: JWTKeyCollection
    let lifetime: Duration

    /// A signed token for the user, and its lifetime in seconds.
    func issue(forUserID userID: Int, now: Date = Date()) async throws -> (token: String, expiresIn: Int64) {
        let seconds = lifetime.components.seconds
        // Whole seconds: JWT libraries elsewhere expect integer NumericDates.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = AccessTokenClaims(
            sub: .init(value: String(userID)),
            iat: .init(value: now),
            exp: .init(value: now.addingTimeInterval(TimeInterval(seconds)))
        )
        return (try await keys.sign(claims), seconds)
    }

    /// The user id a valid token names, or nil for any token that is malformed, forged, expired or not HS256.
    func userID(from token: String) async -> Int? {
        guard Self.headerAlgorithm(of: token) == Self.algorithm,
            let claims = try? await keys.verify(token, as: AccessTokenClaims.self)
        else { return nil }
        return claims.userID
    }

    private struct Header: Decodable {
        let alg: String?
    }

    private static func headerAlgorithm(of token: String) -> String? {
        guard let encoded = token.split(separator: ".", omittingEmptySubsequences: false).first else { return nil }
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        return (try? JSONDecoder().decode(Header.self, from: data))?.alg
    }
}
