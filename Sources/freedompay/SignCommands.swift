import ArgumentParser
import Foundation
import FreedomPayWire

/// `freedompay sign explain`: the signature debugger.
struct Sign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Signature tools.", subcommands: [Explain.self])

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show exactly what is signed for a request and, given a received signature, which rule fails.",
            discussion: """
                Examples (the docs' Card API example):
                  freedompay sign explain card-api --path /v5/card-api/request/status --secret secret \\
                    --body '{"request_id":"828cf71d-a447-4a67-a149-c1df8bc197ca"}' --signature '<X-JWS-Signature value>'
                  freedompay sign explain merchant-api --path /init_payment.php --secret KEY --param pg_amount=25 ... --signature <pg_sig>
                """)

        enum Scheme: String, ExpressibleByArgument, CaseIterable {
            case cardAPI = "card-api"
            case partnerAPI = "partner-api"
            case legacy
            case merchantAPI = "merchant-api"
        }

        @Argument(help: "card-api (JWS HS512), partner-api (JWS HS256), legacy (Sign), merchant-api (pg_sig)") var scheme: Scheme
        @Option(help: "Request path, e.g. /v5/card-api/request/status.") var path: String
        @Option(help: "The secret (never printed).") var secret: String
        @Option(help: "The exact body bytes (JSON APIs).") var body: String = ""
        @Option(help: "auth_id for a fresh JWS header.") var authID: String?
        @Option(help: "HTTP method.") var method: String = "POST"
        @Option(help: "Raw query string.") var query: String = ""
        @Option(name: .customLong("param"), help: "Merchant API parameter name=value (repeatable, in the order sent).") var parameters: [String] = []
        @Option(help: "The received signature to check (X-JWS-Signature value, Sign, or pg_sig).") var signature: String?

        func run() async throws {
            let bytes = Array(body.utf8)
            let report: SignatureExplainer.Report
            switch scheme {
            case .cardAPI, .partnerAPI:
                report = SignatureExplainer.jws(
                    body: bytes, secret: secret, algorithm: scheme == .cardAPI ? .hs512 : .hs256, path: path, method: method, query: query,
                    authID: authID, received: signature)
            case .legacy:
                report = SignatureExplainer.legacy(body: bytes, secret: secret, received: signature)
            case .merchantAPI:
                let fields = parameters.map { field -> (name: String, value: String) in
                    let parts = field.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
                }
                report = SignatureExplainer.pgSig(
                    script: PGSignature.scriptName(of: path), parameters: PGForm.parameters(fields: fields), secret: secret, received: signature)
            }
            print(report.text)
            if report.valid == false { throw ExitCode(1) }
        }
    }
}
