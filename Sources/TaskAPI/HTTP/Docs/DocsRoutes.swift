import TaskAPIContract
import Vapor

/// `/openapi.json` (the contract the server is generated from), Swagger UI at `/docs` and ReDoc at `/redoc`.
struct DocsRoutes: RouteCollection {
    let assets: Settings.DocsAssets
    let title: String

    func boot(routes: any RoutesBuilder) throws {
        routes.get("openapi.json") { _ in
            Response(
                status: .ok, headers: ["Content-Type": "application/json"], body: .init(string: OpenAPIDocument.json))
        }
        routes.get("docs") { _ in html(DocsPages.swaggerUI(title: title, assets: assets)) }
        routes.get("redoc") { _ in html(DocsPages.redoc(title: title, assets: assets)) }
    }

    private func html(_ page: String) -> Response {
        Response(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: page))
    }
}
