import Foundation

/// The HTML of the documentation pages, the same pages FastAPI serves, with configurable asset URLs.
enum DocsPages {
    static func swaggerUI(title: String, assets: Settings.DocsAssets) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title)) - Swagger UI</title>
        <link rel="stylesheet" href="\(escaped(assets.swaggerUIStyleSheet))">
        </head>
        <body>
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
        </body>
        </html>
        """
    }

    static func redoc(title: String, assets: Settings.DocsAssets) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title)) - ReDoc</title>
        <style>body { margin: 0; padding: 0; }</style>
        </head>
        <body>
        <redoc spec-url="/openapi.json"></redoc>
        <script src="\(escaped(assets.redocScript))"></script>
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
