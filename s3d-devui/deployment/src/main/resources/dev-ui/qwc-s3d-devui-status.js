import { QwcHotReloadElement, html, css } from 'qwc-hot-reload-element';
import { JsonRpc } from 'jsonrpc';

/**
 * The s3d card's page: mode, local store, write queue and read cache of the running daemon, from
 * the same status as GET /_s3d/status (JSON-RPC getStatus), refreshed every two seconds.
 */
export class QwcS3dDevuiStatus extends QwcHotReloadElement {
    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: block; padding: 10px 20px; }
        table { border-collapse: collapse; }
        th { text-align: left; padding: 8px 16px 2px 0; font-size: var(--lumo-font-size-l); }
        td { padding: 2px 16px 2px 0; vertical-align: top; }
        td:first-child { color: var(--lumo-contrast-70pct); }
        .error { color: var(--lumo-error-text-color); }
    `;

    static properties = {
        _status: { state: true },
        _error: { state: true }
    };

    connectedCallback() {
        super.connectedCallback();
        this.hotReload();
        this._timer = setInterval(() => this.hotReload(), 2000);
    }

    disconnectedCallback() {
        clearInterval(this._timer);
        super.disconnectedCallback();
    }

    hotReload() {
        this.jsonRpc.getStatus()
            .then(response => { this._status = response.result; this._error = null; })
            .catch(error => { this._error = String(error?.error?.message ?? error); });
    }

    render() {
        if (this._error) {
            return html`<p class="error">${this._error}</p>`;
        }
        const s = this._status;
        if (!s) {
            return html`<p>Loading…</p>`;
        }
        if (s.error) {
            return html`<p class="error">${s.error}</p>`;
        }
        return html`<table>
            <tr><th colspan="2">s3d ${s.version}</th></tr>
            ${this._row('Mode', s.mode)}
            ${s.remote ? this._row('Remote', `${s.remote.endpoint} (${s.remote.reachable ? 'reachable' : 'unreachable: ' + s.remote.lastError})`) : ''}
            ${this._row('Local store', s.localDir)}
            ${s.disk?.freeBytes !== undefined ? this._row('Disk', `${this._bytes(s.disk.usedBytes)} used, ${this._bytes(s.disk.freeBytes)} free`) : ''}
            ${this._row('Buckets', s.buckets)}
            <tr><th colspan="2">Write queue</th></tr>
            ${s.writeQueue ? html`
                ${this._row('Pending', `${s.writeQueue.items} (${this._bytes(s.writeQueue.bytes)})`)}
                ${this._row('Parked', s.writeQueue.parked)}
                ${this._row('Oldest', `${s.writeQueue.oldestAgeSeconds} s`)}
                ${this._row('Pushed', `${s.writeQueue.pushed} (${this._bytes(s.writeQueue.bytesPushed)})`)}
                ${s.writeQueue.lastError ? this._row('Last error', s.writeQueue.lastError) : ''}`
                : this._row('', 'off')}
            <tr><th colspan="2">Read cache</th></tr>
            ${s.readCache ? html`
                ${this._row('Size', `${this._bytes(s.readCache.bytes)} in ${s.readCache.entries} entries (max ${this._bytes(s.readCache.maxSize)})`)}
                ${this._row('Hit ratio', `${Math.round(s.readCache.hitRatio * 100)} % (${s.readCache.hits} hits, ${s.readCache.misses} misses)`)}
                ${this._row('Pinned', `${s.readCache.pinnedEntries} entries`)}`
                : this._row('', 'off')}
        </table>`;
    }

    _row(name, value) {
        return html`<tr><td>${name}</td><td>${value ?? '-'}</td></tr>`;
    }

    _bytes(n) {
        if (n === null || n === undefined) {
            return '-';
        }
        const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
        let i = 0;
        while (n >= 1024 && i < units.length - 1) {
            n /= 1024;
            i++;
        }
        return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
    }
}
customElements.define('qwc-s3d-devui-status', QwcS3dDevuiStatus);
