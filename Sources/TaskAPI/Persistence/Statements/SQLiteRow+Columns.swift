import SQLiteNIO

/// A column of an SQLite row that must be there with a value of the expected type.
struct MissingColumn: Error, CustomStringConvertible {
    let name: String
    var description: String { "the result has no usable column \(name)" }
}

extension SQLiteRow {
    func value<Value: SQLiteDataConvertible>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard let data = self.column(column), let value = Value(sqliteData: data) else {
            throw MissingColumn(name: column)
        }
        return value
    }

    /// A nullable column: nil for SQL NULL.
    func optionalValue<Value: SQLiteDataConvertible>(_ column: String, as type: Value.Type = Value.self) throws
        -> Value?
    {
        if self.column(column) == .null { return nil }
        return try value(column, as: type)
    }
}
