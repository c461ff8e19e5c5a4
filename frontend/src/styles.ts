import { css } from "lit";

// Theme variables only: the card follows light and dark themes.
export const cardStyles = css`
  ha-card { padding: 12px 16px 8px; }
  .header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 4px 12px; margin-bottom: 8px; }
  .title { font-size: 1.25em; font-weight: 500; color: var(--primary-text-color); }
  .summary, .secondary, .charger-detail, .of, .legend { color: var(--secondary-text-color); }
  .summary { font-size: 0.9em; }
  .empty { padding: 8px 0; color: var(--secondary-text-color); }
  .alert { border-radius: 6px; padding: 6px 10px; margin: 0 0 8px; font-weight: 500; }
  .alert.danger { background: var(--error-color, #db4437); color: var(--text-primary-color, #fff); }
  .alert.warning { background: var(--warning-color, #ffa600); color: var(--text-primary-color, #fff); }
  .alert.info { border: 1px solid var(--info-color, #039be5); color: var(--primary-text-color); }
  .phase { display: grid; grid-template-columns: 2.2em 1fr auto; align-items: center; gap: 8px; margin: 6px 0; }
  .phase-name { font-weight: 500; color: var(--primary-text-color); }
  .phase-value { font-variant-numeric: tabular-nums; min-width: 7.5em; text-align: right; color: var(--primary-text-color); }
  .bar { position: relative; height: 22px; border-radius: 4px; overflow: hidden;
    background: var(--secondary-background-color, rgba(127,127,127,0.12)); }
  .bar.over { outline: 2px solid var(--error-color, #db4437); }
  .stack { position: absolute; inset: 0; display: flex; }
  .segment { height: 100%; box-shadow: inset -1px 0 0 var(--card-background-color, #fff); }
  .segment.building, .swatch.building { background: var(--disabled-text-color, #9e9e9e); }
  .segment.unknown { background: repeating-linear-gradient(45deg, transparent 0 4px, var(--disabled-text-color, #9e9e9e) 4px 6px); }
  .zone.margin, .swatch.margin { position: absolute; top: 0; bottom: 0;
    background: repeating-linear-gradient(135deg, transparent 0 5px, rgba(219,68,55,0.35) 5px 8px); }
  .swatch.margin { position: static; }
  .marker { position: absolute; top: 0; bottom: 0; width: 0; border-left: 2px solid; }
  .marker.fuse, .line.fuse { border-color: var(--error-color, #db4437); }
  .marker.usable { border-left: 2px dashed var(--primary-text-color); opacity: 0.6; }
  .marker.cap, .line.cap { border-color: var(--info-color, #039be5); border-left-width: 3px; }
  .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.85em; margin: 4px 0 10px 3em; }
  .legend span { display: inline-flex; align-items: center; gap: 5px; }
  .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; flex: none; }
  .line { display: inline-block; width: 0; height: 12px; border-left: 2px solid; }
  .chargers { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 0 16px; }
  .charger { display: flex; align-items: center; gap: 10px; padding: 7px 0; cursor: pointer;
    border-top: 1px solid var(--divider-color, rgba(127,127,127,0.2)); }
  .charger.trouble .charger-name { color: var(--error-color, #db4437); }
  .charger-main { flex: 1; min-width: 0; }
  .charger-name { font-weight: 500; color: var(--primary-text-color); display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; }
  .charger-detail { font-size: 0.88em; overflow: hidden; text-overflow: ellipsis; }
  .charger-figures { text-align: right; font-variant-numeric: tabular-nums; color: var(--primary-text-color); }
  .chip { font-size: 0.75em; font-weight: 400; padding: 0 6px; border-radius: 8px;
    background: var(--secondary-background-color, rgba(127,127,127,0.15)); color: var(--secondary-text-color); }
  .chip.queue { background: var(--warning-color, #ffa600); color: var(--text-primary-color, #fff); }
  .chip.bad { background: var(--error-color, #db4437); color: var(--text-primary-color, #fff); }
  .circuits { margin: 0 0 10px; }
  .circuits-title, .circuit-name { font-weight: 500; color: var(--primary-text-color); }
  .circuits-title { margin: 4px 0; }
  .circuit { padding: 4px 0; border-top: 1px solid var(--divider-color, rgba(127,127,127,0.2)); }
  .circuit-name { display: flex; flex-wrap: wrap; gap: 4px 6px; align-items: center; }
  .circuit-phase { display: grid; grid-template-columns: 2.2em 1fr auto; align-items: center; gap: 8px; margin: 3px 0; }
  .circuit-phase .bar { height: 12px; }
  .circuit-phase .phase-name, .circuit-phase .phase-value { font-size: 0.85em; }
  .segment.load { background: var(--primary-color, #03a9f4); }
  @media (max-width: 450px) {
    .phase { grid-template-columns: 2em 1fr; }
    .phase-value { grid-column: 2; text-align: left; min-width: 0; font-size: 0.85em; }
    .legend { margin-left: 0; }
  }
`;
