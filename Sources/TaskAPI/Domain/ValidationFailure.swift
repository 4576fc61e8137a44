/// Input that broke one or more rules; answered with 422 and one entry per violation.
struct ValidationFailure: Error, Equatable, Sendable {
    /// The part of the request a field belongs to, FastAPI's first `loc` element.
    enum Location: String, Sendable {
        case body, query, path
    }

    struct Entry: Equatable, Sendable {
        let location: Location
        let violation: FieldViolation
    }

    let entries: [Entry]

    init(entries: [Entry]) {
        self.entries = entries
    }

    init(in location: Location, _ violations: [FieldViolation]) {
        self.init(entries: violations.map { Entry(location: location, violation: $0) })
    }

    /// Throws when `violations` is not empty.
    static func check(_ violations: [FieldViolation], in location: Location = .body) throws(ValidationFailure) {
        guard violations.isEmpty else { throw ValidationFailure(in: location, violations) }
    }
}
