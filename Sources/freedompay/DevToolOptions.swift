import ArgumentParser
import FreedomPayServer

/// `serve` options of the developer tools: log format and sandbox failure injection.
struct DevToolOptions: ParsableArguments {
    @Option(help: "Log format: json (one object per line) or text. Env: FREEDOMPAY_LOG_FORMAT")
    var logFormat: StructuredLogging.Format = Environment.string("FREEDOMPAY_LOG_FORMAT").flatMap(StructuredLogging.Format.init(rawValue:)) ?? .text

    @Option(name: .customLong("inject"), help: ArgumentHelp(
        "Sandbox failure injection, repeatable: 'METHOD PATH=error:<code>|latency:<ms>|drop-after-commit[@probability]'. "
            + "Env: FREEDOMPAY_INJECT (rules separated by ';')."))
    var injections: [String] = []

    /// The rules from the flags, or else from `FREEDOMPAY_INJECT`; a bad rule stops the start-up.
    func rules() throws -> [FailureRule] {
        let texts = injections.isEmpty
            ? (Environment.string("FREEDOMPAY_INJECT") ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : injections
        return try texts.map { text in
            do { return try FailureRule.parse(text) } catch { throw ValidationError("--inject \(text): \(error)") }
        }
    }
}

extension StructuredLogging.Format: ExpressibleByArgument {}
