import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Checks path and query parameters against the document before the generated code decodes them, so a bad value
/// gets a 422 naming the parameter (the generated decoder's errors do not say which parameter failed).
struct ParameterValidationMiddleware: ServerMiddleware {
    let index: ContractIndex

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let rules = index.operations[operationID]?.parameters ?? []
        if !rules.isEmpty {
            let query = Self.queryItems(of: request.path ?? "")
            let entries = rules.compactMap { rule -> ValidationFailure.Entry? in
                let value = rule.location == .path ? metadata.pathParameters[rule.name] : query[rule.name]
                return value.flatMap(rule.violation(for:)).map { .init(location: rule.location, violation: $0) }
            }
            if !entries.isEmpty { throw ValidationFailure(entries: entries) }
        }
        return try await next(request, body, metadata)
    }

    /// The first value of each query item, form-decoded.
    static func queryItems(of path: String) -> [String: Substring] {
        guard let start = path.firstIndex(of: "?") else { return [:] }
        var items: [String: Substring] = [:]
        for pair in path[path.index(after: start)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                Substring(text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text))
            }
            let name = String(decode(parts[0]))
            if items[name] == nil { items[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return items
    }
}
