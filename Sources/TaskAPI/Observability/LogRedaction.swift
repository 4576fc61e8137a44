import Foundation
import Logging

/// Removes credentials from log lines, whatever logged them: bcrypt hashes (Fluent logs bound values at debug),
/// JWTs, bearer headers, and metadata named after a secret. Server-side secrets never need logging, so the rule
/// is blunt on purpose.
enum LogRedaction {
    static let placeholder = "[REDACTED]"

    private static let secretKeys: Set<String> = [
        "password", "password_hash", "current_password", "new_password", "refresh_token", "access_token",
        "authorization", "token", "metrics_token",
    ]
    private static let patterns: [NSRegularExpression] = [
        #"\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}"#,  // bcrypt
        #"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"#,  // JWT
        #"(?i)bearer\s+[A-Za-z0-9._~+/=-]+"#,  // Authorization header value
    ].map { try! NSRegularExpression(pattern: $0) }

    static func scrub(_ text: String) -> String {
        // Cheap test first: almost no line holds any of these.
        guard text.contains("$2") || text.contains("eyJ") || text.range(of: "bearer", options: .caseInsensitive) != nil
        else { return text }
        var scrubbed = text
        for pattern in patterns {
            scrubbed = pattern.stringByReplacingMatches(
                in: scrubbed, range: NSRange(scrubbed.startIndex..., in: scrubbed), withTemplate: placeholder)
        }
        return scrubbed
    }

    static func scrub(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.reduce(into: [:]) { result, entry in
            result[entry.key] =
                secretKeys.contains(entry.key.lowercased()) ? .string(placeholder) : scrub(entry.value)
        }
    }

    private static func scrub(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let text): .string(scrub(text))
        case .stringConvertible(let number) where number is Int || number is Double: value
        case .stringConvertible(let convertible): .string(scrub(convertible.description))
        case .array(let values): .array(values.map(scrub))
        case .dictionary(let metadata): .dictionary(scrub(metadata))
        }
    }
}
