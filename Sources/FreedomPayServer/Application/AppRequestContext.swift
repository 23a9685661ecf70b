import FreedomPayCore
import FreedomPayWire
import Hummingbird
import NIOCore

/// Who a verified request comes from, and with which scheme.
public enum Caller: Sendable {
    /// Card API or Partner API partner; `legacyRequestID` is the `Request-Id` header of the Sign variant.
    case partner(Partner, legacyRequestID: String?)
    case merchant(Merchant, parameters: [PGParameter], script: String, secret: Merchant.SecretKind)
}

/// Request context carrying the authenticated caller and the raw body the signature covered,
/// so handlers decode exactly the bytes that were verified.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?
    public var rawBody: [UInt8] = []
    /// The connection, so sandbox failure injection can drop it without an answer.
    public let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    public var maxUploadSize: Int { 4 * 1024 * 1024 }

    /// The verified partner; only routes behind a partner authenticator call this.
    public func partner() throws -> Partner {
        guard case .partner(let partner, _)? = caller else { throw HTTPError(.unauthorized) }
        return partner
    }

    /// The secret the merchant's request was verified with, which also signs our answer.
    public var merchantSecret: String? {
        if case .merchant(let merchant, _, _, let kind)? = caller { return merchant.secret(kind) }
        return nil
    }

    public var legacyRequestID: String? {
        if case .partner(_, let requestID)? = caller { return requestID }
        return nil
    }
}
