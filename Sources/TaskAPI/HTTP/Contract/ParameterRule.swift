import Foundation

/// A path or query parameter's declared type and bounds, checked against the raw text the client sent.
struct ParameterRule: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case integer, boolean, uuid, other
    }

    let name: String
    let location: ValidationFailure.Location
    let kind: Kind
    let minimum: Int64?
    let maximum: Int64?

    /// A rule from an OpenAPI parameter object; nil for header and cookie parameters.
    init?(parameter: [String: Any]) {
        guard let name = parameter["name"] as? String,
            let location = (parameter["in"] as? String).flatMap(ValidationFailure.Location.init(rawValue:)),
            location != .body
        else { return nil }
        let schema = parameter["schema"] as? [String: Any] ?? [:]
        self.name = name
        self.location = location
        self.kind =
            switch schema["type"] as? String {
            case "integer": .integer
            case "boolean": .boolean
            case "string" where schema["format"] as? String == "uuid": .uuid
            default: .other
            }
        self.minimum = (schema["minimum"] as? NSNumber)?.int64Value
        self.maximum = (schema["maximum"] as? NSNumber)?.int64Value
    }

    /// What is wrong with `text` as this parameter's value, in pydantic's words; nil when it is fine.
    func violation(for text: Substring) -> FieldViolation? {
        switch kind {
        case .integer:
            guard let value = Int64(text) else {
                return FieldViolation(
                    name, "Input should be a valid integer, unable to parse string as an integer", kind: "int_parsing")
            }
            if let minimum, value < minimum {
                return FieldViolation(
                    name, "Input should be greater than or equal to \(minimum)", kind: "greater_than_equal")
            }
            if let maximum, value > maximum {
                return FieldViolation(name, "Input should be less than or equal to \(maximum)", kind: "less_than_equal")
            }
            return nil
        case .boolean:
            // The generated decoder accepts exactly these two spellings.
            guard text == "true" || text == "false" else {
                return FieldViolation(
                    name, "Input should be a valid boolean, unable to interpret input (use true or false)",
                    kind: "bool_parsing")
            }
            return nil
        case .uuid:
            guard UUID(uuidString: String(text)) != nil else {
                return FieldViolation(
                    name, "Input should be a valid UUID, unable to parse string as a UUID", kind: "uuid_parsing")
            }
            return nil
        case .other:
            return nil
        }
    }
}
