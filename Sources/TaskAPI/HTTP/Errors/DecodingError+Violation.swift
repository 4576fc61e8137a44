import Foundation

extension DecodingError {
    /// The failure as pydantic would word it, with the path of the offending field.
    var violation: FieldViolation {
        switch self {
        case .keyNotFound(let key, let context):
            return FieldViolation(
                path: (context.codingPath + [key]).map(\.stringValue), "Field required", kind: "missing")
        case .valueNotFound(let type, let context), .typeMismatch(let type, let context):
            let path = context.codingPath.map(\.stringValue)
            if type == [String: Any].self {
                return FieldViolation(
                    path: path, "Input should be a valid dictionary or object to extract fields from",
                    kind: "model_attributes_type")
            }
            return FieldViolation.wrongType(path: path, expected: type)
        case .dataCorrupted(let context):
            guard !context.codingPath.isEmpty else {
                return FieldViolation(path: [], "JSON decode error: \(context.debugDescription)", kind: "json_invalid")
            }
            return FieldViolation(
                path: context.codingPath.map(\.stringValue), "Input should be a valid value", kind: "value_error")
        @unknown default:
            return FieldViolation(path: [], "Invalid input", kind: "value_error")
        }
    }
}

extension FieldViolation {
    /// A value of the wrong JSON type, or text that does not parse as the parameter's type.
    static func wrongType(path: [String], expected type: Any.Type) -> FieldViolation {
        switch type {
        case is String.Type: FieldViolation(path: path, "Input should be a valid string", kind: "string_type")
        case is Bool.Type: FieldViolation(path: path, "Input should be a valid boolean", kind: "bool_parsing")
        case is any BinaryInteger.Type:
            FieldViolation(path: path, "Input should be a valid integer", kind: "int_parsing")
        default: FieldViolation(path: path, "Input should be a valid \(type)", kind: "value_error")
        }
    }
}
