import Foundation
import HummingbirdTesting
import Testing

@testable import FreedomPayServer

@Suite struct APIDocsPageTests {
    @Test func docsPageListsEveryRouteWithoutExternalAssets() async throws {
        let server = try await TestServer.make()
        defer { Task { await server.cleanUp() } }
        let page = try await server.withRouter { client in
            let response = try await client.executeRequest(uri: "/docs", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            return response.text
        }
        for route in APIRouteTable.routes {
            #expect(page.contains("<code>\(route.path.replacingOccurrences(of: "&", with: "&amp;"))</code>"), "\(route.path) missing from /docs")
        }
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"), "no external assets, no scripts")
    }
}
