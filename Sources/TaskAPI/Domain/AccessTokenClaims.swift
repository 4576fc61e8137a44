import JWT

/// The claims of an access token: who (`sub`, the user id), when issued (`iat`) and until when (`exp`).
struct AccessTokenClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// The user id in `sub`, or nil when `sub` is not one.
    var userID: Int? { Int(sub.value) }
}
