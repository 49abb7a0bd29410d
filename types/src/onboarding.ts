import { type Infer, object, string } from "./codec.js";

/** Published persistently by the `client` tool once the controller knows the device (key: "global").
 * Agents that need the device UUID wait for it (subscribe with persistent: true: the client has
 * usually exited long before they start). */
export const OnboardingStatusCodec = object(
  {
    deviceUuid: string,
    /** The hardware serial and soft serial the device registered with. */
    serial: string,
    softSerial: string,
    /** The controller (config/server) it onboarded with. */
    server: string,
    /** ISO 8601, UTC: when the UUID was last confirmed by the controller. */
    confirmedAt: string,
  },
  "OnboardingStatus",
);
export type OnboardingStatus = Infer<typeof OnboardingStatusCodec>;
export const ONBOARDING_STATUS_TOPIC = "OnboardingStatus";
export const ONBOARDING_STATUS_KEY = "global";
export const ONBOARDING_PUBLISHER = "client";
