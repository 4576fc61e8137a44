import Foundation

/// The HTML of the documentation pages, the same pages FastAPI serves, with configurable asset URLs.
enum DocsPages {
    static func swaggerUI(title: String, assets: Settings.DocsAssets) -> String {
        page(
            title: "\(title) - Swagger UI",
            head: #"<link rel="stylesheet" href="\#(escaped(assets.swaggerUIStyleSheet))">"#,
            body: """
                <div id="swagger-ui"></div>
                <script src="\(escaped(assets.swaggerUIScript))"></script>
                <script>
                window.ui = SwaggerUIBundle({
                  url: "/openapi.json",
                  dom_id: "#swagger-ui",
                  layout: "BaseLayout",
                  deepLinking: true,
                  persistAuthorization: true,
                  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
                });
                </script>
                """
        )
    }

    static func redoc(title: String, assets: Settings.DocsAssets) -> String {
        page(
            title: "\(title) - ReDoc",
            head: "<style>body { margin: 0; padding: 0; }</style>",
            body: """
                <redoc spec-url="/openapi.json"></redoc>
                <script src="\(escaped(assets.redocScript))"></script>
                """
        )
    }

    private static func page(title: String, head: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title))</title>
        \(head)
        </head>
        <body>
        \(body)
        </body>
        </html>
        """
    }

    /// Configured values go into attributes, so they are escaped rather than trusted.
    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
