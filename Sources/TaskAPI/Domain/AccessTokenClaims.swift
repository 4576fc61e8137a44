import Foundation
import JWT

/// The claims of an access token: who (`sub`, the user id), which session (`sid`), when issued (`iat`), until when
/// (`exp`), and by and for whom (`iss`, `aud`).
struct AccessTokenClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var sid: String
    var iss: IssuerClaim
    var aud: AudienceClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    /// Signature and algorithm are checked by the key collection; this checks the rest against `AccessTokens`.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// The user id in `sub`, or nil when `sub` is not one.
    var userID: Int? { Int(sub.value) }

    /// The session id in `sid`, or nil when it is not one.
    var sessionID: UUID? { UUID(uuidString: sid) }
}
