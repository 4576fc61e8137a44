/// One broken input rule, named the way pydantic names it so 422 bodies read like FastAPI's.
struct FieldViolation: Error, Equatable, Sendable {
    /// The field's path inside its part of the request, e.g. `["title"]`.
    let path: [String]
    let message: String
    /// pydantic's error type, e.g. `string_too_short`.
    let kind: String

    init(path: [String], _ message: String, kind: String) {
        self.path = path
        self.message = message
        self.kind = kind
    }

    init(_ field: String, _ message: String, kind: String) {
        self.init(path: [field], message, kind: kind)
    }

    static func tooShort(_ field: String, minimum: Int, unit: String = "character") -> FieldViolation {
        FieldViolation(
            field, "String should have at least \(minimum) \(unit)\(minimum == 1 ? "" : "s")", kind: "string_too_short")
    }

    static func tooLong(_ field: String, maximum: Int, unit: String = "character") -> FieldViolation {
        FieldViolation(
            field, "String should have at most \(maximum) \(unit)\(maximum == 1 ? "" : "s")", kind: "string_too_long")
    }

    /// U+0000: PostgreSQL text cannot store it, and bcrypt stops reading a password at it.
    static func containsNUL(_ field: String) -> FieldViolation {
        FieldViolation(field, "String should not contain the NUL character (U+0000)", kind: "string_pattern_mismatch")
    }
}

extension String {
    var containsNUL: Bool { unicodeScalars.contains("\u{0}") }
}
