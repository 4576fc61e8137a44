import HTTPTypes
import NIOHTTPTypesHTTP1
import OpenAPIRuntime
import Vapor

/// Serves the generated routes on Vapor with whole bodies both ways. `ServiceServer` has read every request body
/// before the route runs, and every answer of the contract is in memory, so the body goes to the generated code as
/// the bytes it is, and its answer goes back as one buffer. swift-openapi-vapor's `VaporTransport` streams both:
/// an async sequence with its own producer for each request body, and for each answer a task of its own that
/// writes the body in chunks to Vapor's stream writer, which the server then collects again (docs/benchmarks.md).
/// The request, its headers and the answer's headers are converted as `VaporTransport` converts them, so the
/// bytes on the wire are the same.
struct CollectedBodyTransport: ServerTransport {
    let routes: any RoutesBuilder

    func register(
        _ handler:
            @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        let components = Self.components(of: path)
        let parameterNames = components.compactMap { component -> String? in
            guard case .parameter(let name) = component else { return nil }
            return name
        }
        // `.stream` leaves the body as the server collected it: Vapor neither copies nor limits it again.
        routes.on(HTTPMethod(method), components, body: .stream) { request in
            var parameters: [String: Substring] = [:]
            for name in parameterNames { parameters[name] = request.parameters.get(name).map { Substring($0) } }
            let bytes = request.body.data.map { HTTPBody($0.readableBytesView) } ?? HTTPBody()
            let (head, body) = try await handler(
                try HTTPRequest(request), bytes, ServerRequestMetadata(pathParameters: parameters))
            return try await Response(head, body: body)
        }
    }

    /// `/tasks/{task_id}` as Vapor's path components.
    private static func components(of path: String) -> [PathComponent] {
        path.split(separator: "/").map { part in
            part.first == "{" && part.last == "}"
                ? .parameter(String(part.dropFirst().dropLast())) : .constant(String(part))
        }
    }
}

extension HTTPRequest {
    fileprivate init(_ request: Request) throws {
        self.init(
            method: try Method(request.method), scheme: request.url.scheme, authority: request.url.host,
            path: request.url.path + (request.url.query.map { "?\($0)" } ?? ""),
            headerFields: HTTPFields(request.headers, splitCookie: true))
    }
}

extension Response {
    /// The generated code's answer, its body collected in one buffer.
    fileprivate convenience init(_ head: HTTPResponse, body: HTTPBody?) async throws {
        var collected = Body.empty
        if let body { collected = Body(buffer: ByteBuffer(bytes: try await ArraySlice(collecting: body, upTo: .max))) }
        self.init(status: .init(statusCode: head.status.code), headers: HTTPHeaders(head.headerFields), body: collected)
        // As `VaporTransport` does, so the headers keep their order.
        if let length = head.headerFields[.contentLength] { headers.replaceOrAdd(name: .contentLength, value: length) }
    }
}
