import Crypto
import Prometheus
import Vapor

/// `GET /metrics` in Prometheus's text format, from the registry `main` bootstrapped swift-metrics with. Kept out
/// of `openapi.yaml`: it is for operators, not API clients. With a token configured, it takes
/// `Authorization: Bearer <token>`.
struct MetricsRoutes: RouteCollection {
    let registry: PrometheusCollectorRegistry
    let token: String?

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: metrics)
    }

    private func metrics(_ request: Request) async throws -> Response {
        if let token {
            let presented = request.headers.bearerAuthorization?.token ?? ""
            // Compared as digests, so the time taken says nothing about how much of the token matched.
            guard SHA256.hash(data: Data(presented.utf8)) == SHA256.hash(data: Data(token.utf8)) else {
                throw APIError.notAuthenticated
            }
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4"])
        return Response(status: .ok, headers: headers, body: .init(string: registry.emitToString()))
    }
}
