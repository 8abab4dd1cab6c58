/** Monitoring: the alarms of each side of the path, the topic they notify, and a dashboard per stack. */
export {
    ConsumerPathAlarms,
    packetsDroppedAlarm,
    type ConsumerPathAlarmsArgs,
    type ShownAlarm,
} from "./consumer-path";
export {
    PROXY_TARGET_GROUP,
    proxyAlarms,
    resetAlarm,
    syncAlarms,
    targetGroupAlarms,
    type MonitoredSync,
    type MonitoredTargetGroup,
} from "./database-alarms";
export { DatabasePathAlarms, type DatabasePathAlarmsArgs, type PrivateLinkMetrics } from "./database-path";
export {
    ALARMS_DOC,
    createAlarm,
    describe,
    type AlarmDefinition,
    type MetricRef,
    type Watched,
} from "./definitions";
export { syncWindow, type SyncWindow } from "./sync-window";
export { AlarmTopic, emailKey, type AlarmTopicArgs } from "./topic";
