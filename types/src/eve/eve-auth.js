/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $String = $util.global.String, $Array = $util.global.Array, $Number = $util.global.Number, $Boolean = $util.global.Boolean, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt;

const $root = $protobuf.roots["eve-auth"] || ($protobuf.roots["eve-auth"] = {});

export const org = $root.org = (() => {

    const org = {};

    org.lfedge = (function() {

        const lfedge = {};

        lfedge.eve = (function() {

            const eve = {};

            eve.auth = (function() {

                const auth = {};

                auth.AuthContainer = (function() {

                    const AuthContainer = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    AuthContainer.prototype.protectedPayload = null;
                    AuthContainer.prototype.algo = 0;
                    AuthContainer.prototype.senderCertHash = $util.newBuffer([]);
                    AuthContainer.prototype.signatureHash = $util.newBuffer([]);
                    AuthContainer.prototype.senderCert = $util.newBuffer([]);
                    AuthContainer.prototype.cipherContext = null;
                    AuthContainer.prototype.cipherData = null;

                    AuthContainer.create = function(properties) {
                        return new AuthContainer(properties);
                    };

                    AuthContainer.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.protectedPayload != null && $Object.hasOwnProperty.call(message, "protectedPayload"))
                            $root.org.lfedge.eve.auth.AuthBody.encode(message.protectedPayload, writer.uint32(10).fork(), _depth + 1).ldelim();
                        if (message.algo != null && $Object.hasOwnProperty.call(message, "algo") && message.algo !== 0)
                            writer.uint32(16).int32(message.algo);
                        if (message.senderCertHash != null && $Object.hasOwnProperty.call(message, "senderCertHash") && message.senderCertHash.length)
                            writer.uint32(26).bytes(message.senderCertHash);
                        if (message.signatureHash != null && $Object.hasOwnProperty.call(message, "signatureHash") && message.signatureHash.length)
                            writer.uint32(34).bytes(message.signatureHash);
                        if (message.senderCert != null && $Object.hasOwnProperty.call(message, "senderCert") && message.senderCert.length)
                            writer.uint32(42).bytes(message.senderCert);
                        if (message.cipherContext != null && $Object.hasOwnProperty.call(message, "cipherContext"))
                            $root.org.lfedge.eve.common.CipherContext.encode(message.cipherContext, writer.uint32(50).fork(), _depth + 1).ldelim();
                        if (message.cipherData != null && $Object.hasOwnProperty.call(message, "cipherData"))
                            $root.org.lfedge.eve.common.CipherBlock.encode(message.cipherData, writer.uint32(58).fork(), _depth + 1).ldelim();
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    AuthContainer.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.auth.AuthContainer();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    message.protectedPayload = $root.org.lfedge.eve.auth.AuthBody.decode(reader, reader.size(), $undefined, _depth + 1, message.protectedPayload);
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.algo = value;
                                    else
                                        delete message.algo;
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.senderCertHash = value;
                                    else
                                        delete message.senderCertHash;
                                    continue;
                                }
                            case 4: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.signatureHash = value;
                                    else
                                        delete message.signatureHash;
                                    continue;
                                }
                            case 5: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.senderCert = value;
                                    else
                                        delete message.senderCert;
                                    continue;
                                }
                            case 6: {
                                    if (wireType !== 2)
                                        break;
                                    message.cipherContext = $root.org.lfedge.eve.common.CipherContext.decode(reader, reader.size(), $undefined, _depth + 1, message.cipherContext);
                                    continue;
                                }
                            case 7: {
                                    if (wireType !== 2)
                                        break;
                                    message.cipherData = $root.org.lfedge.eve.common.CipherBlock.decode(reader, reader.size(), $undefined, _depth + 1, message.cipherData);
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    AuthContainer.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.auth.AuthContainer)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.auth.AuthContainer: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.auth.AuthContainer();
                        if (object.protectedPayload != null) {
                            if (!$util.isObject(object.protectedPayload))
                                throw $TypeError(".org.lfedge.eve.auth.AuthContainer.protectedPayload: object expected");
                            message.protectedPayload = $root.org.lfedge.eve.auth.AuthBody.fromObject(object.protectedPayload, _depth + 1);
                        }
                        if (object.algo !== 0 && (typeof object.algo !== "string" || $root.org.lfedge.eve.common.HashAlgorithm[object.algo] !== 0))
                            switch (object.algo) {
                            case "HASH_ALGORITHM_INVALID":
                            case 0:
                                message.algo = 0;
                                break;
                            case "HASH_ALGORITHM_SHA256_16BYTES":
                            case 1:
                                message.algo = 1;
                                break;
                            case "HASH_ALGORITHM_SHA256_32BYTES":
                            case 2:
                                message.algo = 2;
                                break;
                            default:
                                if (typeof object.algo === "number" && (object.algo | 0) === object.algo)
                                    message.algo = object.algo;
                            }
                        if (object.senderCertHash != null)
                            if (object.senderCertHash.length)
                                if (typeof object.senderCertHash === "string")
                                    $util.base64.decode(object.senderCertHash, message.senderCertHash = $util.newBuffer($util.base64.length(object.senderCertHash)), 0);
                                else if (object.senderCertHash.length >= 0)
                                    message.senderCertHash = object.senderCertHash;
                        if (object.signatureHash != null)
                            if (object.signatureHash.length)
                                if (typeof object.signatureHash === "string")
                                    $util.base64.decode(object.signatureHash, message.signatureHash = $util.newBuffer($util.base64.length(object.signatureHash)), 0);
                                else if (object.signatureHash.length >= 0)
                                    message.signatureHash = object.signatureHash;
                        if (object.senderCert != null)
                            if (object.senderCert.length)
                                if (typeof object.senderCert === "string")
                                    $util.base64.decode(object.senderCert, message.senderCert = $util.newBuffer($util.base64.length(object.senderCert)), 0);
                                else if (object.senderCert.length >= 0)
                                    message.senderCert = object.senderCert;
                        if (object.cipherContext != null) {
                            if (!$util.isObject(object.cipherContext))
                                throw $TypeError(".org.lfedge.eve.auth.AuthContainer.cipherContext: object expected");
                            message.cipherContext = $root.org.lfedge.eve.common.CipherContext.fromObject(object.cipherContext, _depth + 1);
                        }
                        if (object.cipherData != null) {
                            if (!$util.isObject(object.cipherData))
                                throw $TypeError(".org.lfedge.eve.auth.AuthContainer.cipherData: object expected");
                            message.cipherData = $root.org.lfedge.eve.common.CipherBlock.fromObject(object.cipherData, _depth + 1);
                        }
                        return message;
                    };

                    AuthContainer.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults) {
                            object.protectedPayload = null;
                            object.algo = options.enums === $String ? "HASH_ALGORITHM_INVALID" : 0;
                            if (options.bytes === $String)
                                object.senderCertHash = "";
                            else {
                                object.senderCertHash = [];
                                if (options.bytes !== $Array)
                                    object.senderCertHash = $util.newBuffer(object.senderCertHash);
                            }
                            if (options.bytes === $String)
                                object.signatureHash = "";
                            else {
                                object.signatureHash = [];
                                if (options.bytes !== $Array)
                                    object.signatureHash = $util.newBuffer(object.signatureHash);
                            }
                            if (options.bytes === $String)
                                object.senderCert = "";
                            else {
                                object.senderCert = [];
                                if (options.bytes !== $Array)
                                    object.senderCert = $util.newBuffer(object.senderCert);
                            }
                            object.cipherContext = null;
                            object.cipherData = null;
                        }
                        if (message.protectedPayload != null && $Object.hasOwnProperty.call(message, "protectedPayload"))
                            object.protectedPayload = $root.org.lfedge.eve.auth.AuthBody.toObject(message.protectedPayload, options, _depth + 1);
                        if (message.algo != null && $Object.hasOwnProperty.call(message, "algo"))
                            object.algo = options.enums === $String ? $root.org.lfedge.eve.common.HashAlgorithm[message.algo] === $undefined ? message.algo : $root.org.lfedge.eve.common.HashAlgorithm[message.algo] : message.algo;
                        if (message.senderCertHash != null && $Object.hasOwnProperty.call(message, "senderCertHash"))
                            object.senderCertHash = options.bytes === $String ? $util.base64.encode(message.senderCertHash, 0, message.senderCertHash.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.senderCertHash) : message.senderCertHash;
                        if (message.signatureHash != null && $Object.hasOwnProperty.call(message, "signatureHash"))
                            object.signatureHash = options.bytes === $String ? $util.base64.encode(message.signatureHash, 0, message.signatureHash.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.signatureHash) : message.signatureHash;
                        if (message.senderCert != null && $Object.hasOwnProperty.call(message, "senderCert"))
                            object.senderCert = options.bytes === $String ? $util.base64.encode(message.senderCert, 0, message.senderCert.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.senderCert) : message.senderCert;
                        if (message.cipherContext != null && $Object.hasOwnProperty.call(message, "cipherContext"))
                            object.cipherContext = $root.org.lfedge.eve.common.CipherContext.toObject(message.cipherContext, options, _depth + 1);
                        if (message.cipherData != null && $Object.hasOwnProperty.call(message, "cipherData"))
                            object.cipherData = $root.org.lfedge.eve.common.CipherBlock.toObject(message.cipherData, options, _depth + 1);
                        return object;
                    };

                    AuthContainer.prototype.toJSON = function() {
                        return AuthContainer.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return AuthContainer;
                })();

                auth.AuthBody = (function() {

                    const AuthBody = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    AuthBody.prototype.payload = $util.newBuffer([]);

                    AuthBody.create = function(properties) {
                        return new AuthBody(properties);
                    };

                    AuthBody.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                            writer.uint32(10).bytes(message.payload);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    AuthBody.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.auth.AuthBody();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.payload = value;
                                    else
                                        delete message.payload;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    AuthBody.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.auth.AuthBody)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.auth.AuthBody: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.auth.AuthBody();
                        if (object.payload != null)
                            if (object.payload.length)
                                if (typeof object.payload === "string")
                                    $util.base64.decode(object.payload, message.payload = $util.newBuffer($util.base64.length(object.payload)), 0);
                                else if (object.payload.length >= 0)
                                    message.payload = object.payload;
                        return message;
                    };

                    AuthBody.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults)
                            if (options.bytes === $String)
                                object.payload = "";
                            else {
                                object.payload = [];
                                if (options.bytes !== $Array)
                                    object.payload = $util.newBuffer(object.payload);
                            }
                        if (message.payload != null && $Object.hasOwnProperty.call(message, "payload"))
                            object.payload = options.bytes === $String ? $util.base64.encode(message.payload, 0, message.payload.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.payload) : message.payload;
                        return object;
                    };

                    AuthBody.prototype.toJSON = function() {
                        return AuthBody.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return AuthBody;
                })();

                return auth;
            })();

            eve.common = (function() {

                const common = {};

                common.HashAlgorithm = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "HASH_ALGORITHM_INVALID"] = 0;
                    values[valuesById[1] = "HASH_ALGORITHM_SHA256_16BYTES"] = 1;
                    values[valuesById[2] = "HASH_ALGORITHM_SHA256_32BYTES"] = 2;
                    return values;
                })();

                common.CipherContext = (function() {

                    const CipherContext = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    CipherContext.prototype.contextId = "";
                    CipherContext.prototype.hashScheme = 0;
                    CipherContext.prototype.keyExchangeScheme = 0;
                    CipherContext.prototype.encryptionScheme = 0;
                    CipherContext.prototype.deviceCertHash = $util.newBuffer([]);
                    CipherContext.prototype.controllerCertHash = $util.newBuffer([]);

                    CipherContext.create = function(properties) {
                        return new CipherContext(properties);
                    };

                    CipherContext.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.contextId != null && $Object.hasOwnProperty.call(message, "contextId") && message.contextId !== "")
                            writer.uint32(10).string(message.contextId);
                        if (message.hashScheme != null && $Object.hasOwnProperty.call(message, "hashScheme") && message.hashScheme !== 0)
                            writer.uint32(16).int32(message.hashScheme);
                        if (message.keyExchangeScheme != null && $Object.hasOwnProperty.call(message, "keyExchangeScheme") && message.keyExchangeScheme !== 0)
                            writer.uint32(24).int32(message.keyExchangeScheme);
                        if (message.encryptionScheme != null && $Object.hasOwnProperty.call(message, "encryptionScheme") && message.encryptionScheme !== 0)
                            writer.uint32(32).int32(message.encryptionScheme);
                        if (message.deviceCertHash != null && $Object.hasOwnProperty.call(message, "deviceCertHash") && message.deviceCertHash.length)
                            writer.uint32(42).bytes(message.deviceCertHash);
                        if (message.controllerCertHash != null && $Object.hasOwnProperty.call(message, "controllerCertHash") && message.controllerCertHash.length)
                            writer.uint32(50).bytes(message.controllerCertHash);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    CipherContext.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.common.CipherContext();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.contextId = value;
                                    else
                                        delete message.contextId;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.hashScheme = value;
                                    else
                                        delete message.hashScheme;
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.keyExchangeScheme = value;
                                    else
                                        delete message.keyExchangeScheme;
                                    continue;
                                }
                            case 4: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.encryptionScheme = value;
                                    else
                                        delete message.encryptionScheme;
                                    continue;
                                }
                            case 5: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.deviceCertHash = value;
                                    else
                                        delete message.deviceCertHash;
                                    continue;
                                }
                            case 6: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.controllerCertHash = value;
                                    else
                                        delete message.controllerCertHash;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    CipherContext.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.common.CipherContext)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.common.CipherContext: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.common.CipherContext();
                        if (object.contextId != null)
                            if (typeof object.contextId !== "string" || object.contextId.length)
                                message.contextId = $String(object.contextId);
                        if (object.hashScheme !== 0 && (typeof object.hashScheme !== "string" || $root.org.lfedge.eve.common.HashAlgorithm[object.hashScheme] !== 0))
                            switch (object.hashScheme) {
                            case "HASH_ALGORITHM_INVALID":
                            case 0:
                                message.hashScheme = 0;
                                break;
                            case "HASH_ALGORITHM_SHA256_16BYTES":
                            case 1:
                                message.hashScheme = 1;
                                break;
                            case "HASH_ALGORITHM_SHA256_32BYTES":
                            case 2:
                                message.hashScheme = 2;
                                break;
                            default:
                                if (typeof object.hashScheme === "number" && (object.hashScheme | 0) === object.hashScheme)
                                    message.hashScheme = object.hashScheme;
                            }
                        if (object.keyExchangeScheme !== 0 && (typeof object.keyExchangeScheme !== "string" || $root.org.lfedge.eve.common.KeyExchangeScheme[object.keyExchangeScheme] !== 0))
                            switch (object.keyExchangeScheme) {
                            case "KEA_NONE":
                            case 0:
                                message.keyExchangeScheme = 0;
                                break;
                            case "KEA_ECDH":
                            case 1:
                                message.keyExchangeScheme = 1;
                                break;
                            default:
                                if (typeof object.keyExchangeScheme === "number" && (object.keyExchangeScheme | 0) === object.keyExchangeScheme)
                                    message.keyExchangeScheme = object.keyExchangeScheme;
                            }
                        if (object.encryptionScheme !== 0 && (typeof object.encryptionScheme !== "string" || $root.org.lfedge.eve.common.EncryptionScheme[object.encryptionScheme] !== 0))
                            switch (object.encryptionScheme) {
                            case "SA_NONE":
                            case 0:
                                message.encryptionScheme = 0;
                                break;
                            case "SA_AES_256_CFB":
                            case 1:
                                message.encryptionScheme = 1;
                                break;
                            default:
                                if (typeof object.encryptionScheme === "number" && (object.encryptionScheme | 0) === object.encryptionScheme)
                                    message.encryptionScheme = object.encryptionScheme;
                            }
                        if (object.deviceCertHash != null)
                            if (object.deviceCertHash.length)
                                if (typeof object.deviceCertHash === "string")
                                    $util.base64.decode(object.deviceCertHash, message.deviceCertHash = $util.newBuffer($util.base64.length(object.deviceCertHash)), 0);
                                else if (object.deviceCertHash.length >= 0)
                                    message.deviceCertHash = object.deviceCertHash;
                        if (object.controllerCertHash != null)
                            if (object.controllerCertHash.length)
                                if (typeof object.controllerCertHash === "string")
                                    $util.base64.decode(object.controllerCertHash, message.controllerCertHash = $util.newBuffer($util.base64.length(object.controllerCertHash)), 0);
                                else if (object.controllerCertHash.length >= 0)
                                    message.controllerCertHash = object.controllerCertHash;
                        return message;
                    };

                    CipherContext.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults) {
                            object.contextId = "";
                            object.hashScheme = options.enums === $String ? "HASH_ALGORITHM_INVALID" : 0;
                            object.keyExchangeScheme = options.enums === $String ? "KEA_NONE" : 0;
                            object.encryptionScheme = options.enums === $String ? "SA_NONE" : 0;
                            if (options.bytes === $String)
                                object.deviceCertHash = "";
                            else {
                                object.deviceCertHash = [];
                                if (options.bytes !== $Array)
                                    object.deviceCertHash = $util.newBuffer(object.deviceCertHash);
                            }
                            if (options.bytes === $String)
                                object.controllerCertHash = "";
                            else {
                                object.controllerCertHash = [];
                                if (options.bytes !== $Array)
                                    object.controllerCertHash = $util.newBuffer(object.controllerCertHash);
                            }
                        }
                        if (message.contextId != null && $Object.hasOwnProperty.call(message, "contextId"))
                            object.contextId = message.contextId;
                        if (message.hashScheme != null && $Object.hasOwnProperty.call(message, "hashScheme"))
                            object.hashScheme = options.enums === $String ? $root.org.lfedge.eve.common.HashAlgorithm[message.hashScheme] === $undefined ? message.hashScheme : $root.org.lfedge.eve.common.HashAlgorithm[message.hashScheme] : message.hashScheme;
                        if (message.keyExchangeScheme != null && $Object.hasOwnProperty.call(message, "keyExchangeScheme"))
                            object.keyExchangeScheme = options.enums === $String ? $root.org.lfedge.eve.common.KeyExchangeScheme[message.keyExchangeScheme] === $undefined ? message.keyExchangeScheme : $root.org.lfedge.eve.common.KeyExchangeScheme[message.keyExchangeScheme] : message.keyExchangeScheme;
                        if (message.encryptionScheme != null && $Object.hasOwnProperty.call(message, "encryptionScheme"))
                            object.encryptionScheme = options.enums === $String ? $root.org.lfedge.eve.common.EncryptionScheme[message.encryptionScheme] === $undefined ? message.encryptionScheme : $root.org.lfedge.eve.common.EncryptionScheme[message.encryptionScheme] : message.encryptionScheme;
                        if (message.deviceCertHash != null && $Object.hasOwnProperty.call(message, "deviceCertHash"))
                            object.deviceCertHash = options.bytes === $String ? $util.base64.encode(message.deviceCertHash, 0, message.deviceCertHash.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.deviceCertHash) : message.deviceCertHash;
                        if (message.controllerCertHash != null && $Object.hasOwnProperty.call(message, "controllerCertHash"))
                            object.controllerCertHash = options.bytes === $String ? $util.base64.encode(message.controllerCertHash, 0, message.controllerCertHash.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.controllerCertHash) : message.controllerCertHash;
                        return object;
                    };

                    CipherContext.prototype.toJSON = function() {
                        return CipherContext.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return CipherContext;
                })();

                common.CipherBlock = (function() {

                    const CipherBlock = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    CipherBlock.prototype.cipherContextId = "";
                    CipherBlock.prototype.initialValue = $util.newBuffer([]);
                    CipherBlock.prototype.cipherData = $util.newBuffer([]);
                    CipherBlock.prototype.clearTextSha256 = $util.newBuffer([]);

                    CipherBlock.create = function(properties) {
                        return new CipherBlock(properties);
                    };

                    CipherBlock.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.cipherContextId != null && $Object.hasOwnProperty.call(message, "cipherContextId") && message.cipherContextId !== "")
                            writer.uint32(10).string(message.cipherContextId);
                        if (message.initialValue != null && $Object.hasOwnProperty.call(message, "initialValue") && message.initialValue.length)
                            writer.uint32(18).bytes(message.initialValue);
                        if (message.cipherData != null && $Object.hasOwnProperty.call(message, "cipherData") && message.cipherData.length)
                            writer.uint32(26).bytes(message.cipherData);
                        if (message.clearTextSha256 != null && $Object.hasOwnProperty.call(message, "clearTextSha256") && message.clearTextSha256.length)
                            writer.uint32(34).bytes(message.clearTextSha256);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    CipherBlock.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.common.CipherBlock();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.cipherContextId = value;
                                    else
                                        delete message.cipherContextId;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.initialValue = value;
                                    else
                                        delete message.initialValue;
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.cipherData = value;
                                    else
                                        delete message.cipherData;
                                    continue;
                                }
                            case 4: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.clearTextSha256 = value;
                                    else
                                        delete message.clearTextSha256;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    CipherBlock.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.common.CipherBlock)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.common.CipherBlock: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.common.CipherBlock();
                        if (object.cipherContextId != null)
                            if (typeof object.cipherContextId !== "string" || object.cipherContextId.length)
                                message.cipherContextId = $String(object.cipherContextId);
                        if (object.initialValue != null)
                            if (object.initialValue.length)
                                if (typeof object.initialValue === "string")
                                    $util.base64.decode(object.initialValue, message.initialValue = $util.newBuffer($util.base64.length(object.initialValue)), 0);
                                else if (object.initialValue.length >= 0)
                                    message.initialValue = object.initialValue;
                        if (object.cipherData != null)
                            if (object.cipherData.length)
                                if (typeof object.cipherData === "string")
                                    $util.base64.decode(object.cipherData, message.cipherData = $util.newBuffer($util.base64.length(object.cipherData)), 0);
                                else if (object.cipherData.length >= 0)
                                    message.cipherData = object.cipherData;
                        if (object.clearTextSha256 != null)
                            if (object.clearTextSha256.length)
                                if (typeof object.clearTextSha256 === "string")
                                    $util.base64.decode(object.clearTextSha256, message.clearTextSha256 = $util.newBuffer($util.base64.length(object.clearTextSha256)), 0);
                                else if (object.clearTextSha256.length >= 0)
                                    message.clearTextSha256 = object.clearTextSha256;
                        return message;
                    };

                    CipherBlock.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults) {
                            object.cipherContextId = "";
                            if (options.bytes === $String)
                                object.initialValue = "";
                            else {
                                object.initialValue = [];
                                if (options.bytes !== $Array)
                                    object.initialValue = $util.newBuffer(object.initialValue);
                            }
                            if (options.bytes === $String)
                                object.cipherData = "";
                            else {
                                object.cipherData = [];
                                if (options.bytes !== $Array)
                                    object.cipherData = $util.newBuffer(object.cipherData);
                            }
                            if (options.bytes === $String)
                                object.clearTextSha256 = "";
                            else {
                                object.clearTextSha256 = [];
                                if (options.bytes !== $Array)
                                    object.clearTextSha256 = $util.newBuffer(object.clearTextSha256);
                            }
                        }
                        if (message.cipherContextId != null && $Object.hasOwnProperty.call(message, "cipherContextId"))
                            object.cipherContextId = message.cipherContextId;
                        if (message.initialValue != null && $Object.hasOwnProperty.call(message, "initialValue"))
                            object.initialValue = options.bytes === $String ? $util.base64.encode(message.initialValue, 0, message.initialValue.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.initialValue) : message.initialValue;
                        if (message.cipherData != null && $Object.hasOwnProperty.call(message, "cipherData"))
                            object.cipherData = options.bytes === $String ? $util.base64.encode(message.cipherData, 0, message.cipherData.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.cipherData) : message.cipherData;
                        if (message.clearTextSha256 != null && $Object.hasOwnProperty.call(message, "clearTextSha256"))
                            object.clearTextSha256 = options.bytes === $String ? $util.base64.encode(message.clearTextSha256, 0, message.clearTextSha256.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.clearTextSha256) : message.clearTextSha256;
                        return object;
                    };

                    CipherBlock.prototype.toJSON = function() {
                        return CipherBlock.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return CipherBlock;
                })();

                common.KeyExchangeScheme = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "KEA_NONE"] = 0;
                    values[valuesById[1] = "KEA_ECDH"] = 1;
                    return values;
                })();

                common.EncryptionScheme = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "SA_NONE"] = 0;
                    values[valuesById[1] = "SA_AES_256_CFB"] = 1;
                    return values;
                })();

                common.PhyIoType = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "PhyIoNoop"] = 0;
                    values[valuesById[1] = "PhyIoNetEth"] = 1;
                    values[valuesById[2] = "PhyIoUSB"] = 2;
                    values[valuesById[3] = "PhyIoCOM"] = 3;
                    values[valuesById[4] = "PhyIoAudio"] = 4;
                    values[valuesById[5] = "PhyIoNetWLAN"] = 5;
                    values[valuesById[6] = "PhyIoNetWWAN"] = 6;
                    values[valuesById[7] = "PhyIoHDMI"] = 7;
                    values[valuesById[9] = "PhyIoNVMEStorage"] = 9;
                    values[valuesById[10] = "PhyIoSATAStorage"] = 10;
                    values[valuesById[11] = "PhyIoNetEthPF"] = 11;
                    values[valuesById[12] = "PhyIoNetEthVF"] = 12;
                    values[valuesById[13] = "PhyIoUSBController"] = 13;
                    values[valuesById[14] = "PhyIoUSBDevice"] = 14;
                    values[valuesById[15] = "PhyIoCAN"] = 15;
                    values[valuesById[16] = "PhyIoVCAN"] = 16;
                    values[valuesById[17] = "PhyIoLCAN"] = 17;
                    values[valuesById[255] = "PhyIoOther"] = 255;
                    return values;
                })();

                common.ipRange = (function() {

                    const ipRange = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    ipRange.prototype.start = "";
                    ipRange.prototype.end = "";

                    ipRange.create = function(properties) {
                        return new ipRange(properties);
                    };

                    ipRange.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.start != null && $Object.hasOwnProperty.call(message, "start") && message.start !== "")
                            writer.uint32(10).string(message.start);
                        if (message.end != null && $Object.hasOwnProperty.call(message, "end") && message.end !== "")
                            writer.uint32(18).string(message.end);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    ipRange.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.common.ipRange();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.start = value;
                                    else
                                        delete message.start;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.end = value;
                                    else
                                        delete message.end;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    ipRange.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.common.ipRange)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.common.ipRange: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.common.ipRange();
                        if (object.start != null)
                            if (typeof object.start !== "string" || object.start.length)
                                message.start = $String(object.start);
                        if (object.end != null)
                            if (typeof object.end !== "string" || object.end.length)
                                message.end = $String(object.end);
                        return message;
                    };

                    ipRange.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults) {
                            object.start = "";
                            object.end = "";
                        }
                        if (message.start != null && $Object.hasOwnProperty.call(message, "start"))
                            object.start = message.start;
                        if (message.end != null && $Object.hasOwnProperty.call(message, "end"))
                            object.end = message.end;
                        return object;
                    };

                    ipRange.prototype.toJSON = function() {
                        return ipRange.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return ipRange;
                })();

                common.proxyProto = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "PROXY_HTTP"] = 0;
                    values[valuesById[1] = "PROXY_HTTPS"] = 1;
                    values[valuesById[2] = "PROXY_SOCKS"] = 2;
                    values[valuesById[3] = "PROXY_FTP"] = 3;
                    values[valuesById[255] = "PROXY_OTHER"] = 255;
                    return values;
                })();

                common.ProxyServer = (function() {

                    const ProxyServer = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    ProxyServer.prototype.proto = 0;
                    ProxyServer.prototype.server = "";
                    ProxyServer.prototype.port = 0;

                    ProxyServer.create = function(properties) {
                        return new ProxyServer(properties);
                    };

                    ProxyServer.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.proto != null && $Object.hasOwnProperty.call(message, "proto") && message.proto !== 0)
                            writer.uint32(8).int32(message.proto);
                        if (message.server != null && $Object.hasOwnProperty.call(message, "server") && message.server !== "")
                            writer.uint32(18).string(message.server);
                        if (message.port != null && $Object.hasOwnProperty.call(message, "port") && message.port !== 0)
                            writer.uint32(24).uint32(message.port);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    ProxyServer.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.common.ProxyServer();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.proto = value;
                                    else
                                        delete message.proto;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.server = value;
                                    else
                                        delete message.server;
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.uint32())
                                        message.port = value;
                                    else
                                        delete message.port;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    ProxyServer.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.common.ProxyServer)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.common.ProxyServer: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.common.ProxyServer();
                        if (object.proto !== 0 && (typeof object.proto !== "string" || $root.org.lfedge.eve.common.proxyProto[object.proto] !== 0))
                            switch (object.proto) {
                            case "PROXY_HTTP":
                            case 0:
                                message.proto = 0;
                                break;
                            case "PROXY_HTTPS":
                            case 1:
                                message.proto = 1;
                                break;
                            case "PROXY_SOCKS":
                            case 2:
                                message.proto = 2;
                                break;
                            case "PROXY_FTP":
                            case 3:
                                message.proto = 3;
                                break;
                            case "PROXY_OTHER":
                            case 255:
                                message.proto = 255;
                                break;
                            default:
                                if (typeof object.proto === "number" && (object.proto | 0) === object.proto)
                                    message.proto = object.proto;
                            }
                        if (object.server != null)
                            if (typeof object.server !== "string" || object.server.length)
                                message.server = $String(object.server);
                        if (object.port != null)
                            if ($Number(object.port) !== 0)
                                message.port = object.port >>> 0;
                        return message;
                    };

                    ProxyServer.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults) {
                            object.proto = options.enums === $String ? "PROXY_HTTP" : 0;
                            object.server = "";
                            object.port = 0;
                        }
                        if (message.proto != null && $Object.hasOwnProperty.call(message, "proto"))
                            object.proto = options.enums === $String ? $root.org.lfedge.eve.common.proxyProto[message.proto] === $undefined ? message.proto : $root.org.lfedge.eve.common.proxyProto[message.proto] : message.proto;
                        if (message.server != null && $Object.hasOwnProperty.call(message, "server"))
                            object.server = message.server;
                        if (message.port != null && $Object.hasOwnProperty.call(message, "port"))
                            object.port = message.port;
                        return object;
                    };

                    ProxyServer.prototype.toJSON = function() {
                        return ProxyServer.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return ProxyServer;
                })();

                common.ProxyConfig = (function() {

                    const ProxyConfig = function (properties) {
                        this.proxies = [];
                        this.proxyCertPEM = [];
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    ProxyConfig.prototype.networkProxyEnable = false;
                    ProxyConfig.prototype.proxies = $util.emptyArray;
                    ProxyConfig.prototype.exceptions = "";
                    ProxyConfig.prototype.pacfile = "";
                    ProxyConfig.prototype.networkProxyURL = "";
                    ProxyConfig.prototype.proxyCertPEM = $util.emptyArray;

                    ProxyConfig.create = function(properties) {
                        return new ProxyConfig(properties);
                    };

                    ProxyConfig.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.networkProxyEnable != null && $Object.hasOwnProperty.call(message, "networkProxyEnable") && message.networkProxyEnable !== false)
                            writer.uint32(8).bool(message.networkProxyEnable);
                        if (message.proxies != null && message.proxies.length)
                            for (let i = 0; i < message.proxies.length; ++i)
                                $root.org.lfedge.eve.common.ProxyServer.encode(message.proxies[i], writer.uint32(18).fork(), _depth + 1).ldelim();
                        if (message.exceptions != null && $Object.hasOwnProperty.call(message, "exceptions") && message.exceptions !== "")
                            writer.uint32(26).string(message.exceptions);
                        if (message.pacfile != null && $Object.hasOwnProperty.call(message, "pacfile") && message.pacfile !== "")
                            writer.uint32(34).string(message.pacfile);
                        if (message.networkProxyURL != null && $Object.hasOwnProperty.call(message, "networkProxyURL") && message.networkProxyURL !== "")
                            writer.uint32(42).string(message.networkProxyURL);
                        if (message.proxyCertPEM != null && message.proxyCertPEM.length)
                            for (let i = 0; i < message.proxyCertPEM.length; ++i)
                                writer.uint32(50).bytes(message.proxyCertPEM[i]);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    ProxyConfig.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.common.ProxyConfig();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.networkProxyEnable = value;
                                    else
                                        delete message.networkProxyEnable;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    if (!(message.proxies && message.proxies.length))
                                        message.proxies = [];
                                    message.proxies.push($root.org.lfedge.eve.common.ProxyServer.decode(reader, reader.size(), $undefined, _depth + 1));
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.exceptions = value;
                                    else
                                        delete message.exceptions;
                                    continue;
                                }
                            case 4: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.pacfile = value;
                                    else
                                        delete message.pacfile;
                                    continue;
                                }
                            case 5: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.networkProxyURL = value;
                                    else
                                        delete message.networkProxyURL;
                                    continue;
                                }
                            case 6: {
                                    if (wireType !== 2)
                                        break;
                                    if (!(message.proxyCertPEM && message.proxyCertPEM.length))
                                        message.proxyCertPEM = [];
                                    message.proxyCertPEM.push(reader.bytes());
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    ProxyConfig.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.common.ProxyConfig)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.common.ProxyConfig: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.common.ProxyConfig();
                        if (object.networkProxyEnable != null)
                            if (object.networkProxyEnable)
                                message.networkProxyEnable = $Boolean(object.networkProxyEnable);
                        if (object.proxies) {
                            if (!$Array.isArray(object.proxies))
                                throw $TypeError(".org.lfedge.eve.common.ProxyConfig.proxies: array expected");
                            message.proxies = $Array(object.proxies.length);
                            for (let i = 0; i < object.proxies.length; ++i) {
                                if (!$util.isObject(object.proxies[i]))
                                    throw $TypeError(".org.lfedge.eve.common.ProxyConfig.proxies: object expected");
                                message.proxies[i] = $root.org.lfedge.eve.common.ProxyServer.fromObject(object.proxies[i], _depth + 1);
                            }
                        }
                        if (object.exceptions != null)
                            if (typeof object.exceptions !== "string" || object.exceptions.length)
                                message.exceptions = $String(object.exceptions);
                        if (object.pacfile != null)
                            if (typeof object.pacfile !== "string" || object.pacfile.length)
                                message.pacfile = $String(object.pacfile);
                        if (object.networkProxyURL != null)
                            if (typeof object.networkProxyURL !== "string" || object.networkProxyURL.length)
                                message.networkProxyURL = $String(object.networkProxyURL);
                        if (object.proxyCertPEM) {
                            if (!$Array.isArray(object.proxyCertPEM))
                                throw $TypeError(".org.lfedge.eve.common.ProxyConfig.proxyCertPEM: array expected");
                            message.proxyCertPEM = $Array(object.proxyCertPEM.length);
                            for (let i = 0; i < object.proxyCertPEM.length; ++i)
                                if (typeof object.proxyCertPEM[i] === "string")
                                    $util.base64.decode(object.proxyCertPEM[i], message.proxyCertPEM[i] = $util.newBuffer($util.base64.length(object.proxyCertPEM[i])), 0);
                                else if (object.proxyCertPEM[i].length >= 0)
                                    message.proxyCertPEM[i] = object.proxyCertPEM[i];
                        }
                        return message;
                    };

                    ProxyConfig.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.arrays || options.defaults) {
                            object.proxies = [];
                            object.proxyCertPEM = [];
                        }
                        if (options.defaults) {
                            object.networkProxyEnable = false;
                            object.exceptions = "";
                            object.pacfile = "";
                            object.networkProxyURL = "";
                        }
                        if (message.networkProxyEnable != null && $Object.hasOwnProperty.call(message, "networkProxyEnable"))
                            object.networkProxyEnable = message.networkProxyEnable;
                        if (message.proxies && message.proxies.length) {
                            object.proxies = $Array(message.proxies.length);
                            for (let j = 0; j < message.proxies.length; ++j)
                                object.proxies[j] = $root.org.lfedge.eve.common.ProxyServer.toObject(message.proxies[j], options, _depth + 1);
                        }
                        if (message.exceptions != null && $Object.hasOwnProperty.call(message, "exceptions"))
                            object.exceptions = message.exceptions;
                        if (message.pacfile != null && $Object.hasOwnProperty.call(message, "pacfile"))
                            object.pacfile = message.pacfile;
                        if (message.networkProxyURL != null && $Object.hasOwnProperty.call(message, "networkProxyURL"))
                            object.networkProxyURL = message.networkProxyURL;
                        if (message.proxyCertPEM && message.proxyCertPEM.length) {
                            object.proxyCertPEM = $Array(message.proxyCertPEM.length);
                            for (let j = 0; j < message.proxyCertPEM.length; ++j)
                                object.proxyCertPEM[j] = options.bytes === $String ? $util.base64.encode(message.proxyCertPEM[j], 0, message.proxyCertPEM[j].length) : options.bytes === $Array ? $Array.prototype.slice.call(message.proxyCertPEM[j]) : message.proxyCertPEM[j];
                        }
                        return object;
                    };

                    ProxyConfig.prototype.toJSON = function() {
                        return ProxyConfig.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return ProxyConfig;
                })();

                common.ZnetStaticDNSEntry = (function() {

                    const ZnetStaticDNSEntry = function (properties) {
                        this.Address = [];
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    ZnetStaticDNSEntry.prototype.HostName = "";
                    ZnetStaticDNSEntry.prototype.Address = $util.emptyArray;

                    ZnetStaticDNSEntry.create = function(properties) {
                        return new ZnetStaticDNSEntry(properties);
                    };

                    ZnetStaticDNSEntry.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.HostName != null && $Object.hasOwnProperty.call(message, "HostName") && message.HostName !== "")
                            writer.uint32(10).string(message.HostName);
                        if (message.Address != null && message.Address.length)
                            for (let i = 0; i < message.Address.length; ++i)
                                writer.uint32(18).string(message.Address[i]);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    ZnetStaticDNSEntry.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.common.ZnetStaticDNSEntry();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.HostName = value;
                                    else
                                        delete message.HostName;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    if (!(message.Address && message.Address.length))
                                        message.Address = [];
                                    message.Address.push(reader.stringVerify());
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    ZnetStaticDNSEntry.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.common.ZnetStaticDNSEntry)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.common.ZnetStaticDNSEntry: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.common.ZnetStaticDNSEntry();
                        if (object.HostName != null)
                            if (typeof object.HostName !== "string" || object.HostName.length)
                                message.HostName = $String(object.HostName);
                        if (object.Address) {
                            if (!$Array.isArray(object.Address))
                                throw $TypeError(".org.lfedge.eve.common.ZnetStaticDNSEntry.Address: array expected");
                            message.Address = $Array(object.Address.length);
                            for (let i = 0; i < object.Address.length; ++i)
                                message.Address[i] = $String(object.Address[i]);
                        }
                        return message;
                    };

                    ZnetStaticDNSEntry.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.arrays || options.defaults)
                            object.Address = [];
                        if (options.defaults)
                            object.HostName = "";
                        if (message.HostName != null && $Object.hasOwnProperty.call(message, "HostName"))
                            object.HostName = message.HostName;
                        if (message.Address && message.Address.length) {
                            object.Address = $Array(message.Address.length);
                            for (let j = 0; j < message.Address.length; ++j)
                                object.Address[j] = message.Address[j];
                        }
                        return object;
                    };

                    ZnetStaticDNSEntry.prototype.toJSON = function() {
                        return ZnetStaticDNSEntry.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return ZnetStaticDNSEntry;
                })();

                common.DHCPType = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "DHCPNoop"] = 0;
                    values[valuesById[1] = "Static"] = 1;
                    values[valuesById[2] = "DHCPNone"] = 2;
                    values[valuesById[4] = "Client"] = 4;
                    return values;
                })();

                common.ipspec = (function() {

                    const ipspec = function (properties) {
                        this.more_ntp = [];
                        this.dns = [];
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    ipspec.prototype.dhcp = 0;
                    ipspec.prototype.subnet = "";
                    ipspec.prototype.gateway = "";
                    ipspec.prototype.domain = "";
                    ipspec.prototype.ntp = "";
                    ipspec.prototype.more_ntp = $util.emptyArray;
                    ipspec.prototype.dns = $util.emptyArray;
                    ipspec.prototype.dhcpRange = null;
                    ipspec.prototype.dhcp_options_ignore = null;

                    ipspec.create = function(properties) {
                        return new ipspec(properties);
                    };

                    ipspec.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.dhcp != null && $Object.hasOwnProperty.call(message, "dhcp") && message.dhcp !== 0)
                            writer.uint32(16).int32(message.dhcp);
                        if (message.subnet != null && $Object.hasOwnProperty.call(message, "subnet") && message.subnet !== "")
                            writer.uint32(26).string(message.subnet);
                        if (message.gateway != null && $Object.hasOwnProperty.call(message, "gateway") && message.gateway !== "")
                            writer.uint32(42).string(message.gateway);
                        if (message.domain != null && $Object.hasOwnProperty.call(message, "domain") && message.domain !== "")
                            writer.uint32(50).string(message.domain);
                        if (message.ntp != null && $Object.hasOwnProperty.call(message, "ntp") && message.ntp !== "")
                            writer.uint32(58).string(message.ntp);
                        if (message.dns != null && message.dns.length)
                            for (let i = 0; i < message.dns.length; ++i)
                                writer.uint32(66).string(message.dns[i]);
                        if (message.dhcpRange != null && $Object.hasOwnProperty.call(message, "dhcpRange"))
                            $root.org.lfedge.eve.common.ipRange.encode(message.dhcpRange, writer.uint32(74).fork(), _depth + 1).ldelim();
                        if (message.more_ntp != null && message.more_ntp.length)
                            for (let i = 0; i < message.more_ntp.length; ++i)
                                writer.uint32(82).string(message.more_ntp[i]);
                        if (message.dhcp_options_ignore != null && $Object.hasOwnProperty.call(message, "dhcp_options_ignore"))
                            $root.org.lfedge.eve.common.DhcpOptionsIgnore.encode(message.dhcp_options_ignore, writer.uint32(90).fork(), _depth + 1).ldelim();
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    ipspec.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.common.ipspec();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 2: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.dhcp = value;
                                    else
                                        delete message.dhcp;
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.subnet = value;
                                    else
                                        delete message.subnet;
                                    continue;
                                }
                            case 5: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.gateway = value;
                                    else
                                        delete message.gateway;
                                    continue;
                                }
                            case 6: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.domain = value;
                                    else
                                        delete message.domain;
                                    continue;
                                }
                            case 7: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.stringVerify()).length)
                                        message.ntp = value;
                                    else
                                        delete message.ntp;
                                    continue;
                                }
                            case 10: {
                                    if (wireType !== 2)
                                        break;
                                    if (!(message.more_ntp && message.more_ntp.length))
                                        message.more_ntp = [];
                                    message.more_ntp.push(reader.stringVerify());
                                    continue;
                                }
                            case 8: {
                                    if (wireType !== 2)
                                        break;
                                    if (!(message.dns && message.dns.length))
                                        message.dns = [];
                                    message.dns.push(reader.stringVerify());
                                    continue;
                                }
                            case 9: {
                                    if (wireType !== 2)
                                        break;
                                    message.dhcpRange = $root.org.lfedge.eve.common.ipRange.decode(reader, reader.size(), $undefined, _depth + 1, message.dhcpRange);
                                    continue;
                                }
                            case 11: {
                                    if (wireType !== 2)
                                        break;
                                    message.dhcp_options_ignore = $root.org.lfedge.eve.common.DhcpOptionsIgnore.decode(reader, reader.size(), $undefined, _depth + 1, message.dhcp_options_ignore);
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    ipspec.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.common.ipspec)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.common.ipspec: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.common.ipspec();
                        if (object.dhcp !== 0 && (typeof object.dhcp !== "string" || $root.org.lfedge.eve.common.DHCPType[object.dhcp] !== 0))
                            switch (object.dhcp) {
                            case "DHCPNoop":
                            case 0:
                                message.dhcp = 0;
                                break;
                            case "Static":
                            case 1:
                                message.dhcp = 1;
                                break;
                            case "DHCPNone":
                            case 2:
                                message.dhcp = 2;
                                break;
                            case "Client":
                            case 4:
                                message.dhcp = 4;
                                break;
                            default:
                                if (typeof object.dhcp === "number" && (object.dhcp | 0) === object.dhcp)
                                    message.dhcp = object.dhcp;
                            }
                        if (object.subnet != null)
                            if (typeof object.subnet !== "string" || object.subnet.length)
                                message.subnet = $String(object.subnet);
                        if (object.gateway != null)
                            if (typeof object.gateway !== "string" || object.gateway.length)
                                message.gateway = $String(object.gateway);
                        if (object.domain != null)
                            if (typeof object.domain !== "string" || object.domain.length)
                                message.domain = $String(object.domain);
                        if (object.ntp != null)
                            if (typeof object.ntp !== "string" || object.ntp.length)
                                message.ntp = $String(object.ntp);
                        if (object.more_ntp) {
                            if (!$Array.isArray(object.more_ntp))
                                throw $TypeError(".org.lfedge.eve.common.ipspec.more_ntp: array expected");
                            message.more_ntp = $Array(object.more_ntp.length);
                            for (let i = 0; i < object.more_ntp.length; ++i)
                                message.more_ntp[i] = $String(object.more_ntp[i]);
                        }
                        if (object.dns) {
                            if (!$Array.isArray(object.dns))
                                throw $TypeError(".org.lfedge.eve.common.ipspec.dns: array expected");
                            message.dns = $Array(object.dns.length);
                            for (let i = 0; i < object.dns.length; ++i)
                                message.dns[i] = $String(object.dns[i]);
                        }
                        if (object.dhcpRange != null) {
                            if (!$util.isObject(object.dhcpRange))
                                throw $TypeError(".org.lfedge.eve.common.ipspec.dhcpRange: object expected");
                            message.dhcpRange = $root.org.lfedge.eve.common.ipRange.fromObject(object.dhcpRange, _depth + 1);
                        }
                        if (object.dhcp_options_ignore != null) {
                            if (!$util.isObject(object.dhcp_options_ignore))
                                throw $TypeError(".org.lfedge.eve.common.ipspec.dhcp_options_ignore: object expected");
                            message.dhcp_options_ignore = $root.org.lfedge.eve.common.DhcpOptionsIgnore.fromObject(object.dhcp_options_ignore, _depth + 1);
                        }
                        return message;
                    };

                    ipspec.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.arrays || options.defaults) {
                            object.dns = [];
                            object.more_ntp = [];
                        }
                        if (options.defaults) {
                            object.dhcp = options.enums === $String ? "DHCPNoop" : 0;
                            object.subnet = "";
                            object.gateway = "";
                            object.domain = "";
                            object.ntp = "";
                            object.dhcpRange = null;
                            object.dhcp_options_ignore = null;
                        }
                        if (message.dhcp != null && $Object.hasOwnProperty.call(message, "dhcp"))
                            object.dhcp = options.enums === $String ? $root.org.lfedge.eve.common.DHCPType[message.dhcp] === $undefined ? message.dhcp : $root.org.lfedge.eve.common.DHCPType[message.dhcp] : message.dhcp;
                        if (message.subnet != null && $Object.hasOwnProperty.call(message, "subnet"))
                            object.subnet = message.subnet;
                        if (message.gateway != null && $Object.hasOwnProperty.call(message, "gateway"))
                            object.gateway = message.gateway;
                        if (message.domain != null && $Object.hasOwnProperty.call(message, "domain"))
                            object.domain = message.domain;
                        if (message.ntp != null && $Object.hasOwnProperty.call(message, "ntp"))
                            object.ntp = message.ntp;
                        if (message.dns && message.dns.length) {
                            object.dns = $Array(message.dns.length);
                            for (let j = 0; j < message.dns.length; ++j)
                                object.dns[j] = message.dns[j];
                        }
                        if (message.dhcpRange != null && $Object.hasOwnProperty.call(message, "dhcpRange"))
                            object.dhcpRange = $root.org.lfedge.eve.common.ipRange.toObject(message.dhcpRange, options, _depth + 1);
                        if (message.more_ntp && message.more_ntp.length) {
                            object.more_ntp = $Array(message.more_ntp.length);
                            for (let j = 0; j < message.more_ntp.length; ++j)
                                object.more_ntp[j] = message.more_ntp[j];
                        }
                        if (message.dhcp_options_ignore != null && $Object.hasOwnProperty.call(message, "dhcp_options_ignore"))
                            object.dhcp_options_ignore = $root.org.lfedge.eve.common.DhcpOptionsIgnore.toObject(message.dhcp_options_ignore, options, _depth + 1);
                        return object;
                    };

                    ipspec.prototype.toJSON = function() {
                        return ipspec.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return ipspec;
                })();

                common.DhcpOptionsIgnore = (function() {

                    const DhcpOptionsIgnore = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    DhcpOptionsIgnore.prototype.ntp_server_exclusively = false;
                    DhcpOptionsIgnore.prototype.ip_addresses_exclusively = false;
                    DhcpOptionsIgnore.prototype.dns_config_exclusively = false;
                    DhcpOptionsIgnore.prototype.gateways_exclusively = false;

                    DhcpOptionsIgnore.create = function(properties) {
                        return new DhcpOptionsIgnore(properties);
                    };

                    DhcpOptionsIgnore.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.ntp_server_exclusively != null && $Object.hasOwnProperty.call(message, "ntp_server_exclusively") && message.ntp_server_exclusively !== false)
                            writer.uint32(8).bool(message.ntp_server_exclusively);
                        if (message.ip_addresses_exclusively != null && $Object.hasOwnProperty.call(message, "ip_addresses_exclusively") && message.ip_addresses_exclusively !== false)
                            writer.uint32(16).bool(message.ip_addresses_exclusively);
                        if (message.dns_config_exclusively != null && $Object.hasOwnProperty.call(message, "dns_config_exclusively") && message.dns_config_exclusively !== false)
                            writer.uint32(24).bool(message.dns_config_exclusively);
                        if (message.gateways_exclusively != null && $Object.hasOwnProperty.call(message, "gateways_exclusively") && message.gateways_exclusively !== false)
                            writer.uint32(32).bool(message.gateways_exclusively);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    DhcpOptionsIgnore.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.common.DhcpOptionsIgnore();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.ntp_server_exclusively = value;
                                    else
                                        delete message.ntp_server_exclusively;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.ip_addresses_exclusively = value;
                                    else
                                        delete message.ip_addresses_exclusively;
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.dns_config_exclusively = value;
                                    else
                                        delete message.dns_config_exclusively;
                                    continue;
                                }
                            case 4: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.gateways_exclusively = value;
                                    else
                                        delete message.gateways_exclusively;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    DhcpOptionsIgnore.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.common.DhcpOptionsIgnore)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.common.DhcpOptionsIgnore: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.common.DhcpOptionsIgnore();
                        if (object.ntp_server_exclusively != null)
                            if (object.ntp_server_exclusively)
                                message.ntp_server_exclusively = $Boolean(object.ntp_server_exclusively);
                        if (object.ip_addresses_exclusively != null)
                            if (object.ip_addresses_exclusively)
                                message.ip_addresses_exclusively = $Boolean(object.ip_addresses_exclusively);
                        if (object.dns_config_exclusively != null)
                            if (object.dns_config_exclusively)
                                message.dns_config_exclusively = $Boolean(object.dns_config_exclusively);
                        if (object.gateways_exclusively != null)
                            if (object.gateways_exclusively)
                                message.gateways_exclusively = $Boolean(object.gateways_exclusively);
                        return message;
                    };

                    DhcpOptionsIgnore.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults) {
                            object.ntp_server_exclusively = false;
                            object.ip_addresses_exclusively = false;
                            object.dns_config_exclusively = false;
                            object.gateways_exclusively = false;
                        }
                        if (message.ntp_server_exclusively != null && $Object.hasOwnProperty.call(message, "ntp_server_exclusively"))
                            object.ntp_server_exclusively = message.ntp_server_exclusively;
                        if (message.ip_addresses_exclusively != null && $Object.hasOwnProperty.call(message, "ip_addresses_exclusively"))
                            object.ip_addresses_exclusively = message.ip_addresses_exclusively;
                        if (message.dns_config_exclusively != null && $Object.hasOwnProperty.call(message, "dns_config_exclusively"))
                            object.dns_config_exclusively = message.dns_config_exclusively;
                        if (message.gateways_exclusively != null && $Object.hasOwnProperty.call(message, "gateways_exclusively"))
                            object.gateways_exclusively = message.gateways_exclusively;
                        return object;
                    };

                    DhcpOptionsIgnore.prototype.toJSON = function() {
                        return DhcpOptionsIgnore.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return DhcpOptionsIgnore;
                })();

                common.NetworkType = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "NETWORKTYPENOOP"] = 0;
                    values[valuesById[4] = "V4"] = 4;
                    values[valuesById[6] = "V6"] = 6;
                    values[valuesById[24] = "CryptoV4"] = 24;
                    values[valuesById[26] = "CryptoV6"] = 26;
                    values[valuesById[14] = "CryptoEID"] = 14;
                    values[valuesById[7] = "V4Only"] = 7;
                    values[valuesById[8] = "V6Only"] = 8;
                    values[valuesById[9] = "DualV4V6"] = 9;
                    return values;
                })();

                common.NetworkConfigOrigin = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "NETWORK_CONFIG_ORIGIN_UNSPECIFIED"] = 0;
                    values[valuesById[1] = "NETWORK_CONFIG_ORIGIN_CONTROLLER"] = 1;
                    values[valuesById[2] = "NETWORK_CONFIG_ORIGIN_BOOTSTRAP"] = 2;
                    values[valuesById[3] = "NETWORK_CONFIG_ORIGIN_OVERRIDE"] = 3;
                    values[valuesById[4] = "NETWORK_CONFIG_ORIGIN_LASTRESORT"] = 4;
                    values[valuesById[5] = "NETWORK_CONFIG_ORIGIN_TUI"] = 5;
                    values[valuesById[6] = "NETWORK_CONFIG_ORIGIN_LOC"] = 6;
                    values[valuesById[7] = "NETWORK_CONFIG_ORIGIN_LPS"] = 7;
                    return values;
                })();

                common.PortConfigSource = (function() {

                    const PortConfigSource = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    PortConfigSource.prototype.origin = 0;
                    PortConfigSource.prototype.submitted_at = null;

                    PortConfigSource.create = function(properties) {
                        return new PortConfigSource(properties);
                    };

                    PortConfigSource.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.origin != null && $Object.hasOwnProperty.call(message, "origin") && message.origin !== 0)
                            writer.uint32(8).int32(message.origin);
                        if (message.submitted_at != null && $Object.hasOwnProperty.call(message, "submitted_at"))
                            $root.google.protobuf.Timestamp.encode(message.submitted_at, writer.uint32(18).fork(), _depth + 1).ldelim();
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    PortConfigSource.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.common.PortConfigSource();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.origin = value;
                                    else
                                        delete message.origin;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    message.submitted_at = $root.google.protobuf.Timestamp.decode(reader, reader.size(), $undefined, _depth + 1, message.submitted_at);
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    PortConfigSource.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.common.PortConfigSource)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.common.PortConfigSource: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.common.PortConfigSource();
                        if (object.origin !== 0 && (typeof object.origin !== "string" || $root.org.lfedge.eve.common.NetworkConfigOrigin[object.origin] !== 0))
                            switch (object.origin) {
                            case "NETWORK_CONFIG_ORIGIN_UNSPECIFIED":
                            case 0:
                                message.origin = 0;
                                break;
                            case "NETWORK_CONFIG_ORIGIN_CONTROLLER":
                            case 1:
                                message.origin = 1;
                                break;
                            case "NETWORK_CONFIG_ORIGIN_BOOTSTRAP":
                            case 2:
                                message.origin = 2;
                                break;
                            case "NETWORK_CONFIG_ORIGIN_OVERRIDE":
                            case 3:
                                message.origin = 3;
                                break;
                            case "NETWORK_CONFIG_ORIGIN_LASTRESORT":
                            case 4:
                                message.origin = 4;
                                break;
                            case "NETWORK_CONFIG_ORIGIN_TUI":
                            case 5:
                                message.origin = 5;
                                break;
                            case "NETWORK_CONFIG_ORIGIN_LOC":
                            case 6:
                                message.origin = 6;
                                break;
                            case "NETWORK_CONFIG_ORIGIN_LPS":
                            case 7:
                                message.origin = 7;
                                break;
                            default:
                                if (typeof object.origin === "number" && (object.origin | 0) === object.origin)
                                    message.origin = object.origin;
                            }
                        if (object.submitted_at != null) {
                            if (!$util.isObject(object.submitted_at))
                                throw $TypeError(".org.lfedge.eve.common.PortConfigSource.submitted_at: object expected");
                            message.submitted_at = $root.google.protobuf.Timestamp.fromObject(object.submitted_at, _depth + 1);
                        }
                        return message;
                    };

                    PortConfigSource.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults) {
                            object.origin = options.enums === $String ? "NETWORK_CONFIG_ORIGIN_UNSPECIFIED" : 0;
                            object.submitted_at = null;
                        }
                        if (message.origin != null && $Object.hasOwnProperty.call(message, "origin"))
                            object.origin = options.enums === $String ? $root.org.lfedge.eve.common.NetworkConfigOrigin[message.origin] === $undefined ? message.origin : $root.org.lfedge.eve.common.NetworkConfigOrigin[message.origin] : message.origin;
                        if (message.submitted_at != null && $Object.hasOwnProperty.call(message, "submitted_at"))
                            object.submitted_at = $root.google.protobuf.Timestamp.toObject(message.submitted_at, options, _depth + 1);
                        return object;
                    };

                    PortConfigSource.prototype.toJSON = function() {
                        return PortConfigSource.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return PortConfigSource;
                })();

                return common;
            })();

            eve.certs = (function() {

                const certs = {};

                certs.ZControllerCert = (function() {

                    const ZControllerCert = function (properties) {
                        this.certs = [];
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    ZControllerCert.prototype.certs = $util.emptyArray;

                    ZControllerCert.create = function(properties) {
                        return new ZControllerCert(properties);
                    };

                    ZControllerCert.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.certs != null && message.certs.length)
                            for (let i = 0; i < message.certs.length; ++i)
                                $root.org.lfedge.eve.certs.ZCert.encode(message.certs[i], writer.uint32(10).fork(), _depth + 1).ldelim();
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    ZControllerCert.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.certs.ZControllerCert();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 2)
                                        break;
                                    if (!(message.certs && message.certs.length))
                                        message.certs = [];
                                    message.certs.push($root.org.lfedge.eve.certs.ZCert.decode(reader, reader.size(), $undefined, _depth + 1));
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    ZControllerCert.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.certs.ZControllerCert)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.certs.ZControllerCert: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.certs.ZControllerCert();
                        if (object.certs) {
                            if (!$Array.isArray(object.certs))
                                throw $TypeError(".org.lfedge.eve.certs.ZControllerCert.certs: array expected");
                            message.certs = $Array(object.certs.length);
                            for (let i = 0; i < object.certs.length; ++i) {
                                if (!$util.isObject(object.certs[i]))
                                    throw $TypeError(".org.lfedge.eve.certs.ZControllerCert.certs: object expected");
                                message.certs[i] = $root.org.lfedge.eve.certs.ZCert.fromObject(object.certs[i], _depth + 1);
                            }
                        }
                        return message;
                    };

                    ZControllerCert.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.arrays || options.defaults)
                            object.certs = [];
                        if (message.certs && message.certs.length) {
                            object.certs = $Array(message.certs.length);
                            for (let j = 0; j < message.certs.length; ++j)
                                object.certs[j] = $root.org.lfedge.eve.certs.ZCert.toObject(message.certs[j], options, _depth + 1);
                        }
                        return object;
                    };

                    ZControllerCert.prototype.toJSON = function() {
                        return ZControllerCert.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return ZControllerCert;
                })();

                certs.ZCert = (function() {

                    const ZCert = function (properties) {
                        this.meta_data_items = [];
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    ZCert.prototype.hashAlgo = 0;
                    ZCert.prototype.certHash = $util.newBuffer([]);
                    ZCert.prototype.type = 0;
                    ZCert.prototype.cert = $util.newBuffer([]);
                    ZCert.prototype.attributes = null;
                    ZCert.prototype.meta_data_items = $util.emptyArray;

                    ZCert.create = function(properties) {
                        return new ZCert(properties);
                    };

                    ZCert.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.hashAlgo != null && $Object.hasOwnProperty.call(message, "hashAlgo") && message.hashAlgo !== 0)
                            writer.uint32(8).int32(message.hashAlgo);
                        if (message.certHash != null && $Object.hasOwnProperty.call(message, "certHash") && message.certHash.length)
                            writer.uint32(18).bytes(message.certHash);
                        if (message.type != null && $Object.hasOwnProperty.call(message, "type") && message.type !== 0)
                            writer.uint32(24).int32(message.type);
                        if (message.cert != null && $Object.hasOwnProperty.call(message, "cert") && message.cert.length)
                            writer.uint32(34).bytes(message.cert);
                        if (message.attributes != null && $Object.hasOwnProperty.call(message, "attributes"))
                            $root.org.lfedge.eve.certs.ZCertAttr.encode(message.attributes, writer.uint32(42).fork(), _depth + 1).ldelim();
                        if (message.meta_data_items != null && message.meta_data_items.length)
                            for (let i = 0; i < message.meta_data_items.length; ++i)
                                $root.org.lfedge.eve.certs.ZCertMetaData.encode(message.meta_data_items[i], writer.uint32(50).fork(), _depth + 1).ldelim();
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    ZCert.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.certs.ZCert();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.hashAlgo = value;
                                    else
                                        delete message.hashAlgo;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.certHash = value;
                                    else
                                        delete message.certHash;
                                    continue;
                                }
                            case 3: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.type = value;
                                    else
                                        delete message.type;
                                    continue;
                                }
                            case 4: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.cert = value;
                                    else
                                        delete message.cert;
                                    continue;
                                }
                            case 5: {
                                    if (wireType !== 2)
                                        break;
                                    message.attributes = $root.org.lfedge.eve.certs.ZCertAttr.decode(reader, reader.size(), $undefined, _depth + 1, message.attributes);
                                    continue;
                                }
                            case 6: {
                                    if (wireType !== 2)
                                        break;
                                    if (!(message.meta_data_items && message.meta_data_items.length))
                                        message.meta_data_items = [];
                                    message.meta_data_items.push($root.org.lfedge.eve.certs.ZCertMetaData.decode(reader, reader.size(), $undefined, _depth + 1));
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    ZCert.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.certs.ZCert)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.certs.ZCert: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.certs.ZCert();
                        if (object.hashAlgo !== 0 && (typeof object.hashAlgo !== "string" || $root.org.lfedge.eve.common.HashAlgorithm[object.hashAlgo] !== 0))
                            switch (object.hashAlgo) {
                            case "HASH_ALGORITHM_INVALID":
                            case 0:
                                message.hashAlgo = 0;
                                break;
                            case "HASH_ALGORITHM_SHA256_16BYTES":
                            case 1:
                                message.hashAlgo = 1;
                                break;
                            case "HASH_ALGORITHM_SHA256_32BYTES":
                            case 2:
                                message.hashAlgo = 2;
                                break;
                            default:
                                if (typeof object.hashAlgo === "number" && (object.hashAlgo | 0) === object.hashAlgo)
                                    message.hashAlgo = object.hashAlgo;
                            }
                        if (object.certHash != null)
                            if (object.certHash.length)
                                if (typeof object.certHash === "string")
                                    $util.base64.decode(object.certHash, message.certHash = $util.newBuffer($util.base64.length(object.certHash)), 0);
                                else if (object.certHash.length >= 0)
                                    message.certHash = object.certHash;
                        if (object.type !== 0 && (typeof object.type !== "string" || $root.org.lfedge.eve.certs.ZCertType[object.type] !== 0))
                            switch (object.type) {
                            case "CERT_TYPE_CONTROLLER_NONE":
                            case 0:
                                message.type = 0;
                                break;
                            case "CERT_TYPE_CONTROLLER_SIGNING":
                            case 1:
                                message.type = 1;
                                break;
                            case "CERT_TYPE_CONTROLLER_INTERMEDIATE":
                            case 2:
                                message.type = 2;
                                break;
                            case "CERT_TYPE_CONTROLLER_ECDH_EXCHANGE":
                            case 3:
                                message.type = 3;
                                break;
                            case "CERT_TYPE_DEVICE_ONBOARDING":
                            case 10:
                                message.type = 10;
                                break;
                            case "CERT_TYPE_DEVICE_RESTRICTED_SIGNING":
                            case 11:
                                message.type = 11;
                                break;
                            case "CERT_TYPE_DEVICE_ENDORSEMENT_RSA":
                            case 12:
                                message.type = 12;
                                break;
                            case "CERT_TYPE_DEVICE_ECDH_EXCHANGE":
                            case 13:
                                message.type = 13;
                                break;
                            default:
                                if (typeof object.type === "number" && (object.type | 0) === object.type)
                                    message.type = object.type;
                            }
                        if (object.cert != null)
                            if (object.cert.length)
                                if (typeof object.cert === "string")
                                    $util.base64.decode(object.cert, message.cert = $util.newBuffer($util.base64.length(object.cert)), 0);
                                else if (object.cert.length >= 0)
                                    message.cert = object.cert;
                        if (object.attributes != null) {
                            if (!$util.isObject(object.attributes))
                                throw $TypeError(".org.lfedge.eve.certs.ZCert.attributes: object expected");
                            message.attributes = $root.org.lfedge.eve.certs.ZCertAttr.fromObject(object.attributes, _depth + 1);
                        }
                        if (object.meta_data_items) {
                            if (!$Array.isArray(object.meta_data_items))
                                throw $TypeError(".org.lfedge.eve.certs.ZCert.meta_data_items: array expected");
                            message.meta_data_items = $Array(object.meta_data_items.length);
                            for (let i = 0; i < object.meta_data_items.length; ++i) {
                                if (!$util.isObject(object.meta_data_items[i]))
                                    throw $TypeError(".org.lfedge.eve.certs.ZCert.meta_data_items: object expected");
                                message.meta_data_items[i] = $root.org.lfedge.eve.certs.ZCertMetaData.fromObject(object.meta_data_items[i], _depth + 1);
                            }
                        }
                        return message;
                    };

                    ZCert.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.arrays || options.defaults)
                            object.meta_data_items = [];
                        if (options.defaults) {
                            object.hashAlgo = options.enums === $String ? "HASH_ALGORITHM_INVALID" : 0;
                            if (options.bytes === $String)
                                object.certHash = "";
                            else {
                                object.certHash = [];
                                if (options.bytes !== $Array)
                                    object.certHash = $util.newBuffer(object.certHash);
                            }
                            object.type = options.enums === $String ? "CERT_TYPE_CONTROLLER_NONE" : 0;
                            if (options.bytes === $String)
                                object.cert = "";
                            else {
                                object.cert = [];
                                if (options.bytes !== $Array)
                                    object.cert = $util.newBuffer(object.cert);
                            }
                            object.attributes = null;
                        }
                        if (message.hashAlgo != null && $Object.hasOwnProperty.call(message, "hashAlgo"))
                            object.hashAlgo = options.enums === $String ? $root.org.lfedge.eve.common.HashAlgorithm[message.hashAlgo] === $undefined ? message.hashAlgo : $root.org.lfedge.eve.common.HashAlgorithm[message.hashAlgo] : message.hashAlgo;
                        if (message.certHash != null && $Object.hasOwnProperty.call(message, "certHash"))
                            object.certHash = options.bytes === $String ? $util.base64.encode(message.certHash, 0, message.certHash.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.certHash) : message.certHash;
                        if (message.type != null && $Object.hasOwnProperty.call(message, "type"))
                            object.type = options.enums === $String ? $root.org.lfedge.eve.certs.ZCertType[message.type] === $undefined ? message.type : $root.org.lfedge.eve.certs.ZCertType[message.type] : message.type;
                        if (message.cert != null && $Object.hasOwnProperty.call(message, "cert"))
                            object.cert = options.bytes === $String ? $util.base64.encode(message.cert, 0, message.cert.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.cert) : message.cert;
                        if (message.attributes != null && $Object.hasOwnProperty.call(message, "attributes"))
                            object.attributes = $root.org.lfedge.eve.certs.ZCertAttr.toObject(message.attributes, options, _depth + 1);
                        if (message.meta_data_items && message.meta_data_items.length) {
                            object.meta_data_items = $Array(message.meta_data_items.length);
                            for (let j = 0; j < message.meta_data_items.length; ++j)
                                object.meta_data_items[j] = $root.org.lfedge.eve.certs.ZCertMetaData.toObject(message.meta_data_items[j], options, _depth + 1);
                        }
                        return object;
                    };

                    ZCert.prototype.toJSON = function() {
                        return ZCert.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return ZCert;
                })();

                certs.ZCertType = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "CERT_TYPE_CONTROLLER_NONE"] = 0;
                    values[valuesById[1] = "CERT_TYPE_CONTROLLER_SIGNING"] = 1;
                    values[valuesById[2] = "CERT_TYPE_CONTROLLER_INTERMEDIATE"] = 2;
                    values[valuesById[3] = "CERT_TYPE_CONTROLLER_ECDH_EXCHANGE"] = 3;
                    values[valuesById[10] = "CERT_TYPE_DEVICE_ONBOARDING"] = 10;
                    values[valuesById[11] = "CERT_TYPE_DEVICE_RESTRICTED_SIGNING"] = 11;
                    values[valuesById[12] = "CERT_TYPE_DEVICE_ENDORSEMENT_RSA"] = 12;
                    values[valuesById[13] = "CERT_TYPE_DEVICE_ECDH_EXCHANGE"] = 13;
                    return values;
                })();

                certs.ZCertAttr = (function() {

                    const ZCertAttr = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    ZCertAttr.prototype.is_mutable = false;
                    ZCertAttr.prototype.is_tpm = false;

                    ZCertAttr.create = function(properties) {
                        return new ZCertAttr(properties);
                    };

                    ZCertAttr.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.is_mutable != null && $Object.hasOwnProperty.call(message, "is_mutable") && message.is_mutable !== false)
                            writer.uint32(8).bool(message.is_mutable);
                        if (message.is_tpm != null && $Object.hasOwnProperty.call(message, "is_tpm") && message.is_tpm !== false)
                            writer.uint32(16).bool(message.is_tpm);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    ZCertAttr.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.certs.ZCertAttr();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.is_mutable = value;
                                    else
                                        delete message.is_mutable;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.bool())
                                        message.is_tpm = value;
                                    else
                                        delete message.is_tpm;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    ZCertAttr.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.certs.ZCertAttr)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.certs.ZCertAttr: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.certs.ZCertAttr();
                        if (object.is_mutable != null)
                            if (object.is_mutable)
                                message.is_mutable = $Boolean(object.is_mutable);
                        if (object.is_tpm != null)
                            if (object.is_tpm)
                                message.is_tpm = $Boolean(object.is_tpm);
                        return message;
                    };

                    ZCertAttr.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults) {
                            object.is_mutable = false;
                            object.is_tpm = false;
                        }
                        if (message.is_mutable != null && $Object.hasOwnProperty.call(message, "is_mutable"))
                            object.is_mutable = message.is_mutable;
                        if (message.is_tpm != null && $Object.hasOwnProperty.call(message, "is_tpm"))
                            object.is_tpm = message.is_tpm;
                        return object;
                    };

                    ZCertAttr.prototype.toJSON = function() {
                        return ZCertAttr.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return ZCertAttr;
                })();

                certs.ZCertMetaData = (function() {

                    const ZCertMetaData = function (properties) {
                        if (properties)
                            for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                                if (properties[keys[i]] != null && keys[i] !== "__proto__")
                                    this[keys[i]] = properties[keys[i]];
                    };

                    ZCertMetaData.prototype.type = 0;
                    ZCertMetaData.prototype.meta_data = $util.newBuffer([]);

                    ZCertMetaData.create = function(properties) {
                        return new ZCertMetaData(properties);
                    };

                    ZCertMetaData.encode = function (message, writer, _depth) {
                        if (!writer)
                            writer = $Writer.create();
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        if (message.type != null && $Object.hasOwnProperty.call(message, "type") && message.type !== 0)
                            writer.uint32(8).int32(message.type);
                        if (message.meta_data != null && $Object.hasOwnProperty.call(message, "meta_data") && message.meta_data.length)
                            writer.uint32(18).bytes(message.meta_data);
                        if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                            for (let i = 0; i < message.$unknowns.length; ++i)
                                writer.raw(message.$unknowns[i]);
                        return writer;
                    };

                    ZCertMetaData.decode = function (reader, length, _end, _depth, _target) {
                        if (!(reader instanceof $Reader))
                            reader = $Reader.create(reader);
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $Reader.recursionLimit)
                            throw $Error("max depth exceeded");
                        let end, message, value;
                        if (length === $undefined)
                            end = reader.len;
                        else {
                            end = reader.pos + length;
                            if (end > reader.len)
                                throw $RangeError("index out of range");
                            length = reader.len;
                            reader.len = end;
                        }
                        message = _target || new $root.org.lfedge.eve.certs.ZCertMetaData();
                        while (reader.pos < end) {
                            let start = reader.pos;
                            let tag = reader.tag();
                            if (tag === _end) {
                                _end = $undefined;
                                break;
                            }
                            let wireType = tag & 7;
                            switch (tag >>>= 3) {
                            case 1: {
                                    if (wireType !== 0)
                                        break;
                                    if (value = reader.int32())
                                        message.type = value;
                                    else
                                        delete message.type;
                                    continue;
                                }
                            case 2: {
                                    if (wireType !== 2)
                                        break;
                                    if ((value = reader.bytes()).length)
                                        message.meta_data = value;
                                    else
                                        delete message.meta_data;
                                    continue;
                                }
                            }
                            reader.skipType(wireType, _depth, tag);
                            if (!reader.discardUnknown) {
                                $util.makeProp(message, "$unknowns", false);
                                (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                            }
                        }
                        if (length !== $undefined) {
                            if (reader.pos !== end)
                                throw $RangeError("index out of range");
                            reader.len = length;
                        }
                        if (_end !== $undefined)
                            throw $Error("missing end group");
                        return message;
                    };

                    ZCertMetaData.fromObject = function (object, _depth) {
                        if (object instanceof $root.org.lfedge.eve.certs.ZCertMetaData)
                            return object;
                        if (!$util.isObject(object))
                            throw $TypeError(".org.lfedge.eve.certs.ZCertMetaData: object expected");
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let message = new $root.org.lfedge.eve.certs.ZCertMetaData();
                        if (object.type !== 0 && (typeof object.type !== "string" || $root.org.lfedge.eve.certs.ZCertMetaDataType[object.type] !== 0))
                            switch (object.type) {
                            case "Z_CERT_META_DATA_TYPE_INVALID":
                            case 0:
                                message.type = 0;
                                break;
                            case "Z_CERT_META_DATA_TYPE_TPM2_PUBLIC":
                            case 1:
                                message.type = 1;
                                break;
                            default:
                                if (typeof object.type === "number" && (object.type | 0) === object.type)
                                    message.type = object.type;
                            }
                        if (object.meta_data != null)
                            if (object.meta_data.length)
                                if (typeof object.meta_data === "string")
                                    $util.base64.decode(object.meta_data, message.meta_data = $util.newBuffer($util.base64.length(object.meta_data)), 0);
                                else if (object.meta_data.length >= 0)
                                    message.meta_data = object.meta_data;
                        return message;
                    };

                    ZCertMetaData.toObject = function (message, options, _depth) {
                        if (!options)
                            options = {};
                        if (_depth === $undefined)
                            _depth = 0;
                        if (_depth > $util.recursionLimit)
                            throw $Error("max depth exceeded");
                        let object = {};
                        if (options.defaults) {
                            object.type = options.enums === $String ? "Z_CERT_META_DATA_TYPE_INVALID" : 0;
                            if (options.bytes === $String)
                                object.meta_data = "";
                            else {
                                object.meta_data = [];
                                if (options.bytes !== $Array)
                                    object.meta_data = $util.newBuffer(object.meta_data);
                            }
                        }
                        if (message.type != null && $Object.hasOwnProperty.call(message, "type"))
                            object.type = options.enums === $String ? $root.org.lfedge.eve.certs.ZCertMetaDataType[message.type] === $undefined ? message.type : $root.org.lfedge.eve.certs.ZCertMetaDataType[message.type] : message.type;
                        if (message.meta_data != null && $Object.hasOwnProperty.call(message, "meta_data"))
                            object.meta_data = options.bytes === $String ? $util.base64.encode(message.meta_data, 0, message.meta_data.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.meta_data) : message.meta_data;
                        return object;
                    };

                    ZCertMetaData.prototype.toJSON = function() {
                        return ZCertMetaData.toObject(this, $protobuf.util.toJSONOptions);
                    };

                    return ZCertMetaData;
                })();

                certs.ZCertMetaDataType = (function() {
                    const valuesById = $Object.create(null), values = $Object.create(valuesById);
                    values[valuesById[0] = "Z_CERT_META_DATA_TYPE_INVALID"] = 0;
                    values[valuesById[1] = "Z_CERT_META_DATA_TYPE_TPM2_PUBLIC"] = 1;
                    return values;
                })();

                return certs;
            })();

            return eve;
        })();

        return lfedge;
    })();

    return org;
})();

export const google = $root.google = (() => {

    const google = {};

    google.protobuf = (function() {

        const protobuf = {};

        protobuf.Timestamp = (function() {

            const Timestamp = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            Timestamp.prototype.seconds = $util.Long ? $util.Long.fromBits(0,0,false) : 0;
            Timestamp.prototype.nanos = 0;

            Timestamp.create = function(properties) {
                return new Timestamp(properties);
            };

            Timestamp.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.seconds != null && $Object.hasOwnProperty.call(message, "seconds") && (typeof message.seconds === "object" ? message.seconds.low || message.seconds.high : message.seconds !== 0))
                    writer.uint32(8).int64(message.seconds);
                if (message.nanos != null && $Object.hasOwnProperty.call(message, "nanos") && message.nanos !== 0)
                    writer.uint32(16).int32(message.nanos);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            Timestamp.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.google.protobuf.Timestamp();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.seconds = value;
                            else
                                delete message.seconds;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.nanos = value;
                            else
                                delete message.nanos;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            Timestamp.fromObject = function (object, _depth) {
                if (object instanceof $root.google.protobuf.Timestamp)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".google.protobuf.Timestamp: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.google.protobuf.Timestamp();
                if (object.seconds != null)
                    if (typeof object.seconds === "object" ? object.seconds.low || object.seconds.high : $Number(object.seconds) !== 0)
                        if ($util.Long)
                            message.seconds = $util.Long.fromValue(object.seconds, false);
                        else if (typeof object.seconds === "string")
                            message.seconds = $parseInt(object.seconds, 10);
                        else if (typeof object.seconds === "number")
                            message.seconds = object.seconds;
                        else if (typeof object.seconds === "object")
                            message.seconds = new $util.LongBits(object.seconds.low >>> 0, object.seconds.high >>> 0).toNumber();
                if (object.nanos != null)
                    if ($Number(object.nanos) !== 0)
                        message.nanos = object.nanos | 0;
                return message;
            };

            Timestamp.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.seconds = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.seconds = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.nanos = 0;
                }
                if (message.seconds != null && $Object.hasOwnProperty.call(message, "seconds"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.seconds = typeof message.seconds === "number" ? $BigInt(message.seconds) : $util.Long.fromBits(message.seconds.low >>> 0, message.seconds.high >>> 0, false).toBigInt();
                    else if (typeof message.seconds === "number")
                        object.seconds = options.longs === $String ? $String(message.seconds) : message.seconds;
                    else
                        object.seconds = options.longs === $String ? $util.Long.prototype.toString.call(message.seconds) : options.longs === $Number ? new $util.LongBits(message.seconds.low >>> 0, message.seconds.high >>> 0).toNumber() : message.seconds;
                if (message.nanos != null && $Object.hasOwnProperty.call(message, "nanos"))
                    object.nanos = message.nanos;
                return object;
            };

            Timestamp.prototype.toJSON = function() {
                return Timestamp.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Timestamp;
        })();

        return protobuf;
    })();

    return google;
})();

export {
  $root as default
};
