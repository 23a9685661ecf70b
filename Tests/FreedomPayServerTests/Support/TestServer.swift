import Foundation
import FreedomPayClient
import FreedomPayCore
import FreedomPayServer
import FreedomPayWire
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A real server over a fresh SQLite data folder in a temp directory: what every HTTP test starts from.
struct TestServer: Sendable {
    let services: AppServices
    let directory: String
    let clock: ManualClock

    /// `configure` may adjust the configuration (e.g. sandbox off) before the store opens.
    /// `logger`: where the server logs (warnings and above by default).
    static func make(
        sandbox: Bool = true, logger: Logger = TestServer.quietLogger, configure: @Sendable (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fp-test-\(UUID().uuidString)").path
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, dataDirectory: directory, sandbox: sandbox)
        if !sandbox { configuration.encryptionKey = SecretBox.Key.generate().encoded }
        configure(&configuration)
        let clock = ManualClock()
        let services = try await FreedomPayApplication.makeServices(configuration: configuration, clock: clock, logger: logger)
        return TestServer(services: services, directory: directory, clock: clock)
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    func createPartner(name: String = "Test partner") async throws -> Partner {
        try await services.store.write { db in try await services.credentials.createPartner(name: name, in: db) }
    }

    func createMerchant(name: String = "Test merchant") async throws -> Merchant {
        try await services.store.write { db in try await services.credentials.createMerchant(name: name, in: db) }
    }

    /// In-process HTTP through the real router and middleware (no socket).
    func withRouter<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await FreedomPayApplication.makeApplication(services: services).test(.router, body)
    }

    /// A real listening socket; `body` gets the base URL, for tests that drive the client SDK.
    func withLiveServer<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        try await FreedomPayApplication.makeApplication(services: services).test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    func cleanUp() async {
        try? await services.store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Signed requests as a partner would send them, for in-process tests.
extension TestClientProtocol {
    /// POSTs `body` (sent byte for byte) to a Card API route, signed with a detached JWS HS512.
    func cardAPI(_ path: String, _ body: String, as partner: Partner, extraHeaders: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-JWS-Signature")!] = DetachedJWS.sign(
            body: Array(body.utf8), header: JWSHeader(uri: path, authID: partner.authID, alg: .hs512), secret: partner.secret)
        headers.append(contentsOf: extraHeaders)
        return try await executeRequest(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// POSTs `body` to a Card API route with the legacy `Auth-Id` / `Request-Id` / `Sign` headers.
    func cardAPILegacy(_ path: String, _ body: String, as partner: Partner, requestID: String = UUID().uuidString) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("Auth-Id")!] = partner.authID
        headers[HTTPField.Name("Request-Id")!] = requestID
        headers[HTTPField.Name("Sign")!] = LegacySign.sign(body: Array(body.utf8), secret: partner.secret)
        return try await executeRequest(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// POSTs `body` to a Partner API route, signed with a detached JWS HS256.
    func partnerAPI(_ path: String, _ body: String, as partner: Partner) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-JWS-Signature")!] = DetachedJWS.sign(
            body: Array(body.utf8), header: JWSHeader(uri: path, authID: partner.authID, alg: .hs256), secret: partner.secret)
        return try await executeRequest(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// POSTs a `pg_sig`-signed urlencoded form to a Merchant API route.
    func merchantAPI(_ path: String, _ parameters: [PGParameter], as merchant: Merchant, secret: Merchant.SecretKind = .payment) async throws -> TestResponse {
        var signed = parameters
        if !signed.contains(where: { $0.name == "pg_merchant_id" }), !path.hasPrefix("/v1/merchant/") {
            signed.insert(PGParameter("pg_merchant_id", String(merchant.id.rawValue)), at: 0)
        }
        if !signed.contains(where: { $0.name == "pg_salt" }) { signed.append(PGParameter("pg_salt", "testsalt")) }
        signed.append(PGParameter("pg_sig", PGSignature.sign(script: PGSignature.scriptName(of: path), parameters: signed, secret: merchant.secret(secret))))
        return try await executeRequest(
            uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: PGForm.encode(signed)))
    }
}

extension TestResponse {
    /// The body parsed as a JSON object (empty when it is not one).
    var json: [String: any Sendable] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: any Sendable] ?? [:]
    }

    var text: String { String(buffer: body) }

    /// The body parsed as Merchant API XML.
    var xml: [PGParameter] { PGXMLParser.parse(text)?.parameters ?? [] }
}
