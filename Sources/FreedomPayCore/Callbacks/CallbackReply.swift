import Foundation
import FreedomPayWire

/// Reads a merchant's reply to a callback: HTTP 200 and an XML document whose `pg_sig` verifies with the
/// script name of the callback URL and the merchant's secret (merchant-api.md §3.21, §4.5 [inferred]).
public enum CallbackReply {
    public struct Parsed: Sendable, Equatable {
        public var outcome: CallbackDelivery.AttemptOutcome
        public var status: String?
        public var description: String?

        public init(outcome: CallbackDelivery.AttemptOutcome, status: String? = nil, description: String? = nil) {
            self.outcome = outcome
            self.status = status
            self.description = description
        }
    }

    /// `requireBody` false: any HTTP 200 counts as delivered (payout notify: body not prescribed).
    public static func parse(httpStatus: Int, body: [UInt8], callbackURL: String, secret: String, requireBody: Bool = true) -> Parsed {
        guard httpStatus == 200 else { return Parsed(outcome: .failed("merchant answered HTTP \(httpStatus)")) }
        guard let document = PGXMLParser.parse(Data(body)) else {
            return requireBody ? Parsed(outcome: .failed("reply is not an XML document")) : Parsed(outcome: .ok)
        }
        let parameters = document.parameters
        let status = parameters.value("pg_status")
        let description = parameters.value("pg_description")
        guard let signature = parameters.value("pg_sig"), PGSignature.verify(
            script: PGSignature.scriptName(of: callbackURL), parameters: parameters, secret: secret, signature: signature) else {
            return requireBody ? Parsed(outcome: .failed("reply pg_sig does not verify"), status: status, description: description)
                : Parsed(outcome: .ok, status: status, description: description)
        }
        switch status.flatMap(PGCallbackReplyStatus.init(rawValue:)) {
        case .ok?: return Parsed(outcome: .ok, status: status, description: description)
        case .rejected?: return Parsed(outcome: .rejected, status: status, description: description)
        case .error?: return Parsed(outcome: .failed("merchant replied pg_status=error"), status: status, description: description)
        case nil: return Parsed(outcome: .failed("reply pg_status is missing or unknown"), status: status, description: description)
        }
    }
}
