import * as $protobuf from "protobufjs";

export namespace org {

    namespace lfedge {

        namespace eve {

            namespace auth {

                interface IAuthContainer extends org.lfedge.eve.auth.AuthContainer.$Properties {
                }

                class AuthContainer {
                    constructor(properties?: org.lfedge.eve.auth.AuthContainer.$Properties);
                    $unknowns?: Uint8Array[];
                    protectedPayload?: (org.lfedge.eve.auth.AuthBody.$Properties|null);
                    algo: org.lfedge.eve.common.HashAlgorithm;
                    senderCertHash: Uint8Array;
                    signatureHash: Uint8Array;
                    senderCert: Uint8Array;
                    cipherContext?: (org.lfedge.eve.common.CipherContext.$Properties|null);
                    cipherData?: (org.lfedge.eve.common.CipherBlock.$Properties|null);
                    static create(properties: org.lfedge.eve.auth.AuthContainer.$Shape): org.lfedge.eve.auth.AuthContainer & org.lfedge.eve.auth.AuthContainer.$Shape;
                    static create(properties?: org.lfedge.eve.auth.AuthContainer.$Properties): org.lfedge.eve.auth.AuthContainer;
                    static encode(message: org.lfedge.eve.auth.AuthContainer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.auth.AuthContainer & org.lfedge.eve.auth.AuthContainer.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.auth.AuthContainer;
                    static toObject(message: org.lfedge.eve.auth.AuthContainer, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AuthContainer {
                    interface $Properties {
                        protectedPayload?: (org.lfedge.eve.auth.AuthBody.$Properties|null);
                        algo?: (org.lfedge.eve.common.HashAlgorithm|null);
                        senderCertHash?: (Uint8Array|null);
                        signatureHash?: (Uint8Array|null);
                        senderCert?: (Uint8Array|null);
                        cipherContext?: (org.lfedge.eve.common.CipherContext.$Properties|null);
                        cipherData?: (org.lfedge.eve.common.CipherBlock.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.auth.AuthContainer.$Properties;
                }

                interface IAuthBody extends org.lfedge.eve.auth.AuthBody.$Properties {
                }

                class AuthBody {
                    constructor(properties?: org.lfedge.eve.auth.AuthBody.$Properties);
                    $unknowns?: Uint8Array[];
                    payload: Uint8Array;
                    static create(properties: org.lfedge.eve.auth.AuthBody.$Shape): org.lfedge.eve.auth.AuthBody & org.lfedge.eve.auth.AuthBody.$Shape;
                    static create(properties?: org.lfedge.eve.auth.AuthBody.$Properties): org.lfedge.eve.auth.AuthBody;
                    static encode(message: org.lfedge.eve.auth.AuthBody.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.auth.AuthBody & org.lfedge.eve.auth.AuthBody.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.auth.AuthBody;
                    static toObject(message: org.lfedge.eve.auth.AuthBody, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace AuthBody {
                    interface $Properties {
                        payload?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.auth.AuthBody.$Properties;
                }
            }

            namespace common {

                enum HashAlgorithm {
                    HASH_ALGORITHM_INVALID = 0,
                    HASH_ALGORITHM_SHA256_16BYTES = 1,
                    HASH_ALGORITHM_SHA256_32BYTES = 2
                }

                interface ICipherContext extends org.lfedge.eve.common.CipherContext.$Properties {
                }

                class CipherContext {
                    constructor(properties?: org.lfedge.eve.common.CipherContext.$Properties);
                    $unknowns?: Uint8Array[];
                    contextId: string;
                    hashScheme: org.lfedge.eve.common.HashAlgorithm;
                    keyExchangeScheme: org.lfedge.eve.common.KeyExchangeScheme;
                    encryptionScheme: org.lfedge.eve.common.EncryptionScheme;
                    deviceCertHash: Uint8Array;
                    controllerCertHash: Uint8Array;
                    static create(properties: org.lfedge.eve.common.CipherContext.$Shape): org.lfedge.eve.common.CipherContext & org.lfedge.eve.common.CipherContext.$Shape;
                    static create(properties?: org.lfedge.eve.common.CipherContext.$Properties): org.lfedge.eve.common.CipherContext;
                    static encode(message: org.lfedge.eve.common.CipherContext.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.CipherContext & org.lfedge.eve.common.CipherContext.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.CipherContext;
                    static toObject(message: org.lfedge.eve.common.CipherContext, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace CipherContext {
                    interface $Properties {
                        contextId?: (string|null);
                        hashScheme?: (org.lfedge.eve.common.HashAlgorithm|null);
                        keyExchangeScheme?: (org.lfedge.eve.common.KeyExchangeScheme|null);
                        encryptionScheme?: (org.lfedge.eve.common.EncryptionScheme|null);
                        deviceCertHash?: (Uint8Array|null);
                        controllerCertHash?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.CipherContext.$Properties;
                }

                interface ICipherBlock extends org.lfedge.eve.common.CipherBlock.$Properties {
                }

                class CipherBlock {
                    constructor(properties?: org.lfedge.eve.common.CipherBlock.$Properties);
                    $unknowns?: Uint8Array[];
                    cipherContextId: string;
                    initialValue: Uint8Array;
                    cipherData: Uint8Array;
                    clearTextSha256: Uint8Array;
                    static create(properties: org.lfedge.eve.common.CipherBlock.$Shape): org.lfedge.eve.common.CipherBlock & org.lfedge.eve.common.CipherBlock.$Shape;
                    static create(properties?: org.lfedge.eve.common.CipherBlock.$Properties): org.lfedge.eve.common.CipherBlock;
                    static encode(message: org.lfedge.eve.common.CipherBlock.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.CipherBlock & org.lfedge.eve.common.CipherBlock.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.CipherBlock;
                    static toObject(message: org.lfedge.eve.common.CipherBlock, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace CipherBlock {
                    interface $Properties {
                        cipherContextId?: (string|null);
                        initialValue?: (Uint8Array|null);
                        cipherData?: (Uint8Array|null);
                        clearTextSha256?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.CipherBlock.$Properties;
                }

                enum KeyExchangeScheme {
                    KEA_NONE = 0,
                    KEA_ECDH = 1
                }

                enum EncryptionScheme {
                    SA_NONE = 0,
                    SA_AES_256_CFB = 1
                }

                enum PhyIoType {
                    PhyIoNoop = 0,
                    PhyIoNetEth = 1,
                    PhyIoUSB = 2,
                    PhyIoCOM = 3,
                    PhyIoAudio = 4,
                    PhyIoNetWLAN = 5,
                    PhyIoNetWWAN = 6,
                    PhyIoHDMI = 7,
                    PhyIoNVMEStorage = 9,
                    PhyIoSATAStorage = 10,
                    PhyIoNetEthPF = 11,
                    PhyIoNetEthVF = 12,
                    PhyIoUSBController = 13,
                    PhyIoUSBDevice = 14,
                    PhyIoCAN = 15,
                    PhyIoVCAN = 16,
                    PhyIoLCAN = 17,
                    PhyIoOther = 255
                }

                interface IipRange extends org.lfedge.eve.common.ipRange.$Properties {
                }

                class ipRange {
                    constructor(properties?: org.lfedge.eve.common.ipRange.$Properties);
                    $unknowns?: Uint8Array[];
                    start: string;
                    end: string;
                    static create(properties: org.lfedge.eve.common.ipRange.$Shape): org.lfedge.eve.common.ipRange & org.lfedge.eve.common.ipRange.$Shape;
                    static create(properties?: org.lfedge.eve.common.ipRange.$Properties): org.lfedge.eve.common.ipRange;
                    static encode(message: org.lfedge.eve.common.ipRange.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ipRange & org.lfedge.eve.common.ipRange.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ipRange;
                    static toObject(message: org.lfedge.eve.common.ipRange, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ipRange {
                    interface $Properties {
                        start?: (string|null);
                        end?: (string|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ipRange.$Properties;
                }

                enum proxyProto {
                    PROXY_HTTP = 0,
                    PROXY_HTTPS = 1,
                    PROXY_SOCKS = 2,
                    PROXY_FTP = 3,
                    PROXY_OTHER = 255
                }

                interface IProxyServer extends org.lfedge.eve.common.ProxyServer.$Properties {
                }

                class ProxyServer {
                    constructor(properties?: org.lfedge.eve.common.ProxyServer.$Properties);
                    $unknowns?: Uint8Array[];
                    proto: org.lfedge.eve.common.proxyProto;
                    server: string;
                    port: number;
                    static create(properties: org.lfedge.eve.common.ProxyServer.$Shape): org.lfedge.eve.common.ProxyServer & org.lfedge.eve.common.ProxyServer.$Shape;
                    static create(properties?: org.lfedge.eve.common.ProxyServer.$Properties): org.lfedge.eve.common.ProxyServer;
                    static encode(message: org.lfedge.eve.common.ProxyServer.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ProxyServer & org.lfedge.eve.common.ProxyServer.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ProxyServer;
                    static toObject(message: org.lfedge.eve.common.ProxyServer, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ProxyServer {
                    interface $Properties {
                        proto?: (org.lfedge.eve.common.proxyProto|null);
                        server?: (string|null);
                        port?: (number|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ProxyServer.$Properties;
                }

                interface IProxyConfig extends org.lfedge.eve.common.ProxyConfig.$Properties {
                }

                class ProxyConfig {
                    constructor(properties?: org.lfedge.eve.common.ProxyConfig.$Properties);
                    $unknowns?: Uint8Array[];
                    networkProxyEnable: boolean;
                    proxies: org.lfedge.eve.common.ProxyServer.$Properties[];
                    exceptions: string;
                    pacfile: string;
                    networkProxyURL: string;
                    proxyCertPEM: Uint8Array[];
                    static create(properties: org.lfedge.eve.common.ProxyConfig.$Shape): org.lfedge.eve.common.ProxyConfig & org.lfedge.eve.common.ProxyConfig.$Shape;
                    static create(properties?: org.lfedge.eve.common.ProxyConfig.$Properties): org.lfedge.eve.common.ProxyConfig;
                    static encode(message: org.lfedge.eve.common.ProxyConfig.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ProxyConfig & org.lfedge.eve.common.ProxyConfig.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ProxyConfig;
                    static toObject(message: org.lfedge.eve.common.ProxyConfig, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ProxyConfig {
                    interface $Properties {
                        networkProxyEnable?: (boolean|null);
                        proxies?: (org.lfedge.eve.common.ProxyServer.$Properties[]|null);
                        exceptions?: (string|null);
                        pacfile?: (string|null);
                        networkProxyURL?: (string|null);
                        proxyCertPEM?: (Uint8Array[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ProxyConfig.$Properties;
                }

                interface IZnetStaticDNSEntry extends org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties {
                }

                class ZnetStaticDNSEntry {
                    constructor(properties?: org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties);
                    $unknowns?: Uint8Array[];
                    HostName: string;
                    Address: string[];
                    static create(properties: org.lfedge.eve.common.ZnetStaticDNSEntry.$Shape): org.lfedge.eve.common.ZnetStaticDNSEntry & org.lfedge.eve.common.ZnetStaticDNSEntry.$Shape;
                    static create(properties?: org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties): org.lfedge.eve.common.ZnetStaticDNSEntry;
                    static encode(message: org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ZnetStaticDNSEntry & org.lfedge.eve.common.ZnetStaticDNSEntry.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ZnetStaticDNSEntry;
                    static toObject(message: org.lfedge.eve.common.ZnetStaticDNSEntry, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZnetStaticDNSEntry {
                    interface $Properties {
                        HostName?: (string|null);
                        Address?: (string[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ZnetStaticDNSEntry.$Properties;
                }

                enum DHCPType {
                    DHCPNoop = 0,
                    Static = 1,
                    DHCPNone = 2,
                    Client = 4
                }

                interface Iipspec extends org.lfedge.eve.common.ipspec.$Properties {
                }

                class ipspec {
                    constructor(properties?: org.lfedge.eve.common.ipspec.$Properties);
                    $unknowns?: Uint8Array[];
                    dhcp: org.lfedge.eve.common.DHCPType;
                    subnet: string;
                    gateway: string;
                    domain: string;
                    ntp: string;
                    more_ntp: string[];
                    dns: string[];
                    dhcpRange?: (org.lfedge.eve.common.ipRange.$Properties|null);
                    dhcp_options_ignore?: (org.lfedge.eve.common.DhcpOptionsIgnore.$Properties|null);
                    static create(properties: org.lfedge.eve.common.ipspec.$Shape): org.lfedge.eve.common.ipspec & org.lfedge.eve.common.ipspec.$Shape;
                    static create(properties?: org.lfedge.eve.common.ipspec.$Properties): org.lfedge.eve.common.ipspec;
                    static encode(message: org.lfedge.eve.common.ipspec.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.ipspec & org.lfedge.eve.common.ipspec.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.ipspec;
                    static toObject(message: org.lfedge.eve.common.ipspec, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ipspec {
                    interface $Properties {
                        dhcp?: (org.lfedge.eve.common.DHCPType|null);
                        subnet?: (string|null);
                        gateway?: (string|null);
                        domain?: (string|null);
                        ntp?: (string|null);
                        more_ntp?: (string[]|null);
                        dns?: (string[]|null);
                        dhcpRange?: (org.lfedge.eve.common.ipRange.$Properties|null);
                        dhcp_options_ignore?: (org.lfedge.eve.common.DhcpOptionsIgnore.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.ipspec.$Properties;
                }

                interface IDhcpOptionsIgnore extends org.lfedge.eve.common.DhcpOptionsIgnore.$Properties {
                }

                class DhcpOptionsIgnore {
                    constructor(properties?: org.lfedge.eve.common.DhcpOptionsIgnore.$Properties);
                    $unknowns?: Uint8Array[];
                    ntp_server_exclusively: boolean;
                    ip_addresses_exclusively: boolean;
                    dns_config_exclusively: boolean;
                    gateways_exclusively: boolean;
                    static create(properties: org.lfedge.eve.common.DhcpOptionsIgnore.$Shape): org.lfedge.eve.common.DhcpOptionsIgnore & org.lfedge.eve.common.DhcpOptionsIgnore.$Shape;
                    static create(properties?: org.lfedge.eve.common.DhcpOptionsIgnore.$Properties): org.lfedge.eve.common.DhcpOptionsIgnore;
                    static encode(message: org.lfedge.eve.common.DhcpOptionsIgnore.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.DhcpOptionsIgnore & org.lfedge.eve.common.DhcpOptionsIgnore.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.DhcpOptionsIgnore;
                    static toObject(message: org.lfedge.eve.common.DhcpOptionsIgnore, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace DhcpOptionsIgnore {
                    interface $Properties {
                        ntp_server_exclusively?: (boolean|null);
                        ip_addresses_exclusively?: (boolean|null);
                        dns_config_exclusively?: (boolean|null);
                        gateways_exclusively?: (boolean|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.DhcpOptionsIgnore.$Properties;
                }

                enum NetworkType {
                    NETWORKTYPENOOP = 0,
                    V4 = 4,
                    V6 = 6,
                    CryptoV4 = 24,
                    CryptoV6 = 26,
                    CryptoEID = 14,
                    V4Only = 7,
                    V6Only = 8,
                    DualV4V6 = 9
                }

                enum NetworkConfigOrigin {
                    NETWORK_CONFIG_ORIGIN_UNSPECIFIED = 0,
                    NETWORK_CONFIG_ORIGIN_CONTROLLER = 1,
                    NETWORK_CONFIG_ORIGIN_BOOTSTRAP = 2,
                    NETWORK_CONFIG_ORIGIN_OVERRIDE = 3,
                    NETWORK_CONFIG_ORIGIN_LASTRESORT = 4,
                    NETWORK_CONFIG_ORIGIN_TUI = 5,
                    NETWORK_CONFIG_ORIGIN_LOC = 6,
                    NETWORK_CONFIG_ORIGIN_LPS = 7
                }

                interface IPortConfigSource extends org.lfedge.eve.common.PortConfigSource.$Properties {
                }

                class PortConfigSource {
                    constructor(properties?: org.lfedge.eve.common.PortConfigSource.$Properties);
                    $unknowns?: Uint8Array[];
                    origin: org.lfedge.eve.common.NetworkConfigOrigin;
                    submitted_at?: (google.protobuf.Timestamp.$Properties|null);
                    static create(properties: org.lfedge.eve.common.PortConfigSource.$Shape): org.lfedge.eve.common.PortConfigSource & org.lfedge.eve.common.PortConfigSource.$Shape;
                    static create(properties?: org.lfedge.eve.common.PortConfigSource.$Properties): org.lfedge.eve.common.PortConfigSource;
                    static encode(message: org.lfedge.eve.common.PortConfigSource.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.common.PortConfigSource & org.lfedge.eve.common.PortConfigSource.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.common.PortConfigSource;
                    static toObject(message: org.lfedge.eve.common.PortConfigSource, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace PortConfigSource {
                    interface $Properties {
                        origin?: (org.lfedge.eve.common.NetworkConfigOrigin|null);
                        submitted_at?: (google.protobuf.Timestamp.$Properties|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.common.PortConfigSource.$Properties;
                }
            }

            namespace certs {

                interface IZControllerCert extends org.lfedge.eve.certs.ZControllerCert.$Properties {
                }

                class ZControllerCert {
                    constructor(properties?: org.lfedge.eve.certs.ZControllerCert.$Properties);
                    $unknowns?: Uint8Array[];
                    certs: org.lfedge.eve.certs.ZCert.$Properties[];
                    static create(properties: org.lfedge.eve.certs.ZControllerCert.$Shape): org.lfedge.eve.certs.ZControllerCert & org.lfedge.eve.certs.ZControllerCert.$Shape;
                    static create(properties?: org.lfedge.eve.certs.ZControllerCert.$Properties): org.lfedge.eve.certs.ZControllerCert;
                    static encode(message: org.lfedge.eve.certs.ZControllerCert.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.certs.ZControllerCert & org.lfedge.eve.certs.ZControllerCert.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.certs.ZControllerCert;
                    static toObject(message: org.lfedge.eve.certs.ZControllerCert, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZControllerCert {
                    interface $Properties {
                        certs?: (org.lfedge.eve.certs.ZCert.$Properties[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.certs.ZControllerCert.$Properties;
                }

                interface IZCert extends org.lfedge.eve.certs.ZCert.$Properties {
                }

                class ZCert {
                    constructor(properties?: org.lfedge.eve.certs.ZCert.$Properties);
                    $unknowns?: Uint8Array[];
                    hashAlgo: org.lfedge.eve.common.HashAlgorithm;
                    certHash: Uint8Array;
                    type: org.lfedge.eve.certs.ZCertType;
                    cert: Uint8Array;
                    attributes?: (org.lfedge.eve.certs.ZCertAttr.$Properties|null);
                    meta_data_items: org.lfedge.eve.certs.ZCertMetaData.$Properties[];
                    static create(properties: org.lfedge.eve.certs.ZCert.$Shape): org.lfedge.eve.certs.ZCert & org.lfedge.eve.certs.ZCert.$Shape;
                    static create(properties?: org.lfedge.eve.certs.ZCert.$Properties): org.lfedge.eve.certs.ZCert;
                    static encode(message: org.lfedge.eve.certs.ZCert.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.certs.ZCert & org.lfedge.eve.certs.ZCert.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.certs.ZCert;
                    static toObject(message: org.lfedge.eve.certs.ZCert, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZCert {
                    interface $Properties {
                        hashAlgo?: (org.lfedge.eve.common.HashAlgorithm|null);
                        certHash?: (Uint8Array|null);
                        type?: (org.lfedge.eve.certs.ZCertType|null);
                        cert?: (Uint8Array|null);
                        attributes?: (org.lfedge.eve.certs.ZCertAttr.$Properties|null);
                        meta_data_items?: (org.lfedge.eve.certs.ZCertMetaData.$Properties[]|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.certs.ZCert.$Properties;
                }

                enum ZCertType {
                    CERT_TYPE_CONTROLLER_NONE = 0,
                    CERT_TYPE_CONTROLLER_SIGNING = 1,
                    CERT_TYPE_CONTROLLER_INTERMEDIATE = 2,
                    CERT_TYPE_CONTROLLER_ECDH_EXCHANGE = 3,
                    CERT_TYPE_DEVICE_ONBOARDING = 10,
                    CERT_TYPE_DEVICE_RESTRICTED_SIGNING = 11,
                    CERT_TYPE_DEVICE_ENDORSEMENT_RSA = 12,
                    CERT_TYPE_DEVICE_ECDH_EXCHANGE = 13
                }

                interface IZCertAttr extends org.lfedge.eve.certs.ZCertAttr.$Properties {
                }

                class ZCertAttr {
                    constructor(properties?: org.lfedge.eve.certs.ZCertAttr.$Properties);
                    $unknowns?: Uint8Array[];
                    is_mutable: boolean;
                    is_tpm: boolean;
                    static create(properties: org.lfedge.eve.certs.ZCertAttr.$Shape): org.lfedge.eve.certs.ZCertAttr & org.lfedge.eve.certs.ZCertAttr.$Shape;
                    static create(properties?: org.lfedge.eve.certs.ZCertAttr.$Properties): org.lfedge.eve.certs.ZCertAttr;
                    static encode(message: org.lfedge.eve.certs.ZCertAttr.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.certs.ZCertAttr & org.lfedge.eve.certs.ZCertAttr.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.certs.ZCertAttr;
                    static toObject(message: org.lfedge.eve.certs.ZCertAttr, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZCertAttr {
                    interface $Properties {
                        is_mutable?: (boolean|null);
                        is_tpm?: (boolean|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.certs.ZCertAttr.$Properties;
                }

                interface IZCertMetaData extends org.lfedge.eve.certs.ZCertMetaData.$Properties {
                }

                class ZCertMetaData {
                    constructor(properties?: org.lfedge.eve.certs.ZCertMetaData.$Properties);
                    $unknowns?: Uint8Array[];
                    type: org.lfedge.eve.certs.ZCertMetaDataType;
                    meta_data: Uint8Array;
                    static create(properties: org.lfedge.eve.certs.ZCertMetaData.$Shape): org.lfedge.eve.certs.ZCertMetaData & org.lfedge.eve.certs.ZCertMetaData.$Shape;
                    static create(properties?: org.lfedge.eve.certs.ZCertMetaData.$Properties): org.lfedge.eve.certs.ZCertMetaData;
                    static encode(message: org.lfedge.eve.certs.ZCertMetaData.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
                    static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): org.lfedge.eve.certs.ZCertMetaData & org.lfedge.eve.certs.ZCertMetaData.$Shape;
                    static fromObject(object: { [k: string]: any }): org.lfedge.eve.certs.ZCertMetaData;
                    static toObject(message: org.lfedge.eve.certs.ZCertMetaData, options?: $protobuf.IConversionOptions): { [k: string]: any };
                    toJSON(): { [k: string]: any };
                }

                namespace ZCertMetaData {
                    interface $Properties {
                        type?: (org.lfedge.eve.certs.ZCertMetaDataType|null);
                        meta_data?: (Uint8Array|null);
                        $unknowns?: Uint8Array[];
                    }
                    type $Shape = org.lfedge.eve.certs.ZCertMetaData.$Properties;
                }

                enum ZCertMetaDataType {
                    Z_CERT_META_DATA_TYPE_INVALID = 0,
                    Z_CERT_META_DATA_TYPE_TPM2_PUBLIC = 1
                }
            }
        }
    }
}

export namespace google {

    namespace protobuf {

        interface ITimestamp extends google.protobuf.Timestamp.$Properties {
        }

        class Timestamp {
            constructor(properties?: google.protobuf.Timestamp.$Properties);
            $unknowns?: Uint8Array[];
            seconds: number;
            nanos: number;
            static create(properties: google.protobuf.Timestamp.$Shape): google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape;
            static create(properties?: google.protobuf.Timestamp.$Properties): google.protobuf.Timestamp;
            static encode(message: google.protobuf.Timestamp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape;
            static fromObject(object: { [k: string]: any }): google.protobuf.Timestamp;
            static toObject(message: google.protobuf.Timestamp, options?: $protobuf.IConversionOptions): { [k: string]: any };
            toJSON(): { [k: string]: any };
        }

        namespace Timestamp {
            interface $Properties {
                seconds?: (number|null);
                nanos?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = google.protobuf.Timestamp.$Properties;
        }
    }
}
