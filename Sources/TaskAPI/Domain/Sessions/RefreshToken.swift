import Foundation

/// An opaque refresh token: 256 random bits, URL-safe. Only its SHA-256 digest is stored; a fast hash is right
/// for a random secret, which cannot be guessed the way a password can. It is never a JWT, so it can never pass
/// as an access token (RFC 8725 section 3.12).
struct RefreshToken: Sendable {
    let secret: String

    static func generate() -> RefreshToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return RefreshToken(secret: secret)
    }

    /// What the database keeps and looks tokens up by.
    var digest: String { Self.digest(of: secret) }

    static func digest(of secret: String) -> String {
        secret.sha256Hex
    }
}
