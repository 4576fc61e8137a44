import Foundation

/// Which top-level fields the current request's JSON object body sent, and which of them were `null`: the
/// generated types decode an absent field and a null one alike, and these rules need the difference.
struct JSONBodyFields {
    let present: Set<String>
    let null: Set<String>

    static func ofCurrentRequest() throws -> JSONBodyFields {
        guard let body = CurrentRequest.value?.body.data,
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        else { return JSONBodyFields(present: [], null: []) }
        return JSONBodyFields(present: Set(object.keys), null: Set(object.filter { $0.value is NSNull }.keys))
    }

    /// A violation for each field that must not be `null` but was.
    func nullViolations(_ fields: [String: Any.Type]) -> [FieldViolation] {
        fields.keys.sorted().filter(null.contains).map { FieldViolation.wrongType(path: [$0], expected: fields[$0]!) }
    }
}
