import Foundation
import TaskAPIContract

/// What the server reads from its own OpenAPI document at start-up, for the rules the generator leaves out:
/// which operations need a token (`security`) and the bounds of path and query parameters.
struct ContractIndex: Sendable {
    struct Operation: Sendable {
        let requiresAuthentication: Bool
        let parameters: [ParameterRule]
    }

    /// Operations by operation id.
    let operations: [String: Operation]

    init(json: String) throws {
        guard let document = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let paths = document["paths"] as? [String: [String: Any]]
        else { throw UnreadableDocument() }
        let components = document["components"] as? [String: Any]
        let sharedParameters = components?["parameters"] as? [String: [String: Any]] ?? [:]
        func resolve(_ parameter: Any) -> [String: Any]? {
            guard let parameter = parameter as? [String: Any] else { return nil }
            guard let reference = parameter["$ref"] as? String else { return parameter }
            return sharedParameters[String(reference.split(separator: "/").last ?? "")]
        }
        let globalSecurity = document["security"] as? [Any] ?? []
        var operations: [String: Operation] = [:]
        for pathItem in paths.values {
            let pathParameters = (pathItem["parameters"] as? [Any] ?? []).compactMap(resolve)
            for case let operation as [String: Any] in pathItem.values {
                guard let id = operation["operationId"] as? String else { continue }
                let parameters = pathParameters + (operation["parameters"] as? [Any] ?? []).compactMap(resolve)
                operations[id] = Operation(
                    requiresAuthentication: !(operation["security"] as? [Any] ?? globalSecurity).isEmpty,
                    parameters: parameters.compactMap(ParameterRule.init(parameter:))
                )
            }
        }
        self.operations = operations
    }

    /// The index of the document this server serves and is generated from.
    static let served: ContractIndex = {
        do {
            return try ContractIndex(json: OpenAPIDocument.json)
        } catch {
            preconditionFailure("The embedded OpenAPI document is unreadable: \(error)")
        }
    }()

    struct UnreadableDocument: Error {}
}
