/// What a valid task looks like; lengths count Unicode code points, as Python's `len` does.
enum TaskRules {
    static let titleLength = 1...255
    static let descriptionMaximumLength = 10_000
    /// Fields that may be left out but never sent as `null` (only `description` is nullable).
    static let nonNullableFields: [String: Any.Type] = ["title": String.self, "completed": Bool.self]

    static func violations(title: String?, description: String?) -> [FieldViolation] {
        var violations: [FieldViolation] = []
        if let title {
            let length = title.unicodeScalars.count
            if length < titleLength.lowerBound {
                violations.append(.tooShort("title", minimum: titleLength.lowerBound))
            } else if length > titleLength.upperBound {
                violations.append(.tooLong("title", maximum: titleLength.upperBound))
            }
        }
        if let description, description.unicodeScalars.count > descriptionMaximumLength {
            violations.append(.tooLong("description", maximum: descriptionMaximumLength))
        }
        for (field, text) in [("title", title), ("description", description)] where text?.containsNUL == true {
            violations.append(.containsNUL(field))
        }
        return violations
    }
}
