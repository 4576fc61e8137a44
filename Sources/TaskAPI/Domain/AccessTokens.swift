import Foundation
import JWT

/// Issues and checks HS256 access tokens.
struct AccessTokens: Sendable {
    /// The only algorithm accepted; pinned before the signature check so `none` or a swapped `alg` never passes.
    static let algorithm = "HS256"

    /// Whom a valid token speaks for.
    struct Subject: Equatable, Sendable {
        let userID: Int
        let sessionID: UUID
    }

    let keys: JWTKeyCollection
    let lifetime: Duration
    let issuer: String
    let audience: String
    let verified = VerifiedTokens()

    /// A signed token for the user's session, and its lifetime in seconds.
    func issue(for subject: Subject, now: Date) async throws -> (token: String, expiresIn: Int64) {
        let seconds = lifetime.components.seconds
        // Whole seconds: JWT libraries elsewhere expect integer NumericDates.
        let now = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = AccessTokenClaims(
            sub: .init(value: String(subject.userID)),
            sid: subject.sessionID.uuidString.lowercased(),
            iss: .init(value: issuer),
            aud: .init(value: [audience]),
            iat: .init(value: now),
            exp: .init(value: now.addingTimeInterval(TimeInterval(seconds)))
        )
        return (try await keys.sign(claims), seconds)
    }

    /// The user and session a valid token names, or nil for any token that is malformed, forged, expired, not
    /// HS256, or issued by or for another service.
    func subject(of token: String, now: Date) async -> Subject? {
        if let subject = verified.subject(of: token, now: now) { return subject }
        guard Self.headerAlgorithm(of: token) == Self.algorithm,
            let claims = try? await keys.verify(token, as: AccessTokenClaims.self),
            (try? claims.exp.verifyNotExpired(currentDate: now)) != nil,
            claims.iss.value == issuer,
            (try? claims.aud.verifyIntendedAudience(includes: audience)) != nil,
            let userID = claims.userID, let sessionID = claims.sessionID
        else { return nil }
        let subject = Subject(userID: userID, sessionID: sessionID)
        verified.keep(token, for: subject, until: claims.exp.value, now: now)
        return subject
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
