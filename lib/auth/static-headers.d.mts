export declare const ACTION_MAX_BYTES: number;
export declare const API_CSP: string;
export declare const STATIC_SECURITY_HEADERS: { key: string; value: string }[];
