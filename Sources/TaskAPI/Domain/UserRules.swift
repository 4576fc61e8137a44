/// What a valid registration looks like.
enum UserRules {
    static let usernameLength = 3...50
    /// bcrypt reads at most 72 bytes; a longer password is refused rather than silently truncated.
    static let passwordBytes = 6...72
    private static let usernameCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-".unicodeScalars)

    static func violations(username: String, password: String) -> [FieldViolation] {
        var violations: [FieldViolation] = []
        let length = username.unicodeScalars.count
        if length < usernameLength.lowerBound {
            violations.append(.tooShort("username", minimum: usernameLength.lowerBound))
        } else if length > usernameLength.upperBound {
            violations.append(.tooLong("username", maximum: usernameLength.upperBound))
        } else if !username.unicodeScalars.allSatisfy(usernameCharacters.contains) {
            violations.append(
                FieldViolation(
                    "username", "String should match pattern '^[A-Za-z0-9_.-]+$' (letters, digits, '_', '.' and '-')",
                    kind: "string_pattern_mismatch"))
        }
        return violations + passwordViolations(password)
    }

    /// What is wrong with a new password, reported under `field`.
    static func passwordViolations(_ password: String, field: String = "password") -> [FieldViolation] {
        let bytes = password.utf8.count
        if bytes < passwordBytes.lowerBound {
            return [.tooShort(field, minimum: passwordBytes.lowerBound, unit: "byte")]
        } else if bytes > passwordBytes.upperBound {
            return [.tooLong(field, maximum: passwordBytes.upperBound, unit: "byte")]
        } else if password.containsNUL {
            return [.containsNUL(field)]
        }
        return []
    }
}
