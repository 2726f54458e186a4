/**
 * Service addresses: ClusterIP (and NodePort) allocation at admission, as the apiserver's service
 * REST storage does before the object is stored (pkg/registry/core/service/storage/alloc.go): an
 * empty clusterIP gets a random free address of the service CIDR, a given one is claimed, `None` is
 * headless; on update omitted values are kept (patchAllocatedValues). Addresses are released when the
 * Service goes. LoadBalancer Services get `status.loadBalancer.ingress` from the lab's LB pool when one
 * is configured (what MetalLB or a cloud controller does), otherwise they stay `<pending>`.
 * Simplified: IPv4 single-stack; an allocation whose Service is then refused by validation is not
 * returned to the pool.
 */
import { fieldErrors } from '../schema/fieldError.ts';
import { err, ok } from '../../core/result.ts';
import type { Service, ServicePort } from '../builtinKinds.ts';
import { invalid } from '../errors.ts';
import type { ClusterIpam } from '../ipam.ts';
import { isPlainObject, type KubeObject } from '../object.ts';
import type { AdmissionHook } from '../store.ts';
import { keyOf, splitKey, updateStatusIfChanged, type Controller, type ControllerManager } from './manager.ts';

const isService = (o: KubeObject) => o.kind === 'Service' && o.apiVersion === 'v1';

export function serviceIpAdmission(ipam: ClusterIpam): AdmissionHook {
  return (obj, old, op, ctx) => {
    if (!isService(obj) || ctx.subresource !== undefined || ctx.dryRun) return ok(obj);
    const svc = obj as Service;
    const spec = svc.spec;
    if (!isPlainObject(spec) || spec.type === 'ExternalName') return ok(obj);
    const prev = old as Service | undefined;
    if (op === 'update' && prev) {
      if (!spec.clusterIP && prev.spec.clusterIP) {
        spec.clusterIP = prev.spec.clusterIP;
        spec.clusterIPs = prev.spec.clusterIPs ?? [prev.spec.clusterIP];
      }
      for (const p of spec.ports ?? []) {
        const was = prev.spec.ports?.find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
        if (p.nodePort === undefined && was?.nodePort !== undefined && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) p.nodePort = was.nodePort;
      }
    }
    if (spec.clusterIP === undefined || spec.clusterIP === '') {
      const ip = ipam.services.allocate();
      if (!ip.ok) return err(invalid('Service', svc.metadata.name, [fieldErrors.invalid('spec.clusterIPs', [], `failed to allocate IP: ${ip.error.message}`)]));
      spec.clusterIP = ip.value;
    } else if (spec.clusterIP !== 'None' && (op === 'create' || prev?.spec.clusterIP !== spec.clusterIP)) {
      const ip = ipam.services.claim(spec.clusterIP);
      if (!ip.ok) return err(invalid('Service', svc.metadata.name, [fieldErrors.invalid('spec.clusterIPs', [spec.clusterIP], ip.error.message)]));
    }
    spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      for (const p of spec.ports ?? []) {
        const was = prev?.spec.ports?.find((q) => q.nodePort === p.nodePort);
        if (p.nodePort === undefined) {
          const np = ipam.allocateNodePort();
          if (np.ok) p.nodePort = np.value;
        } else if (!was) {
          const np = ipam.claimNodePort(p.nodePort);
          if (!np.ok) return err(invalid('Service', svc.metadata.name, [fieldErrors.invalid('spec.ports[0].nodePort', p.nodePort, np.error.message)]));
        }
      }
    }
    return ok(obj);
  };
}

export function startServiceController(mgr: ControllerManager, ipam: ClusterIpam): Controller {
  const store = mgr.store;
  const lbByService = new Map<string, string>();
  const ctrl: Controller = {
    name: 'service-lb',
    reconcile(key) {
      const { namespace, name } = splitKey(key);
      const svc = store.find('Service', namespace, name) as Service | undefined;
      if (!svc) return;
      const status = (isPlainObject(svc.status) ? svc.status : {}) as Record<string, unknown>;
      const have = lbByService.get(svc.metadata.uid);
      if (svc.spec.type !== 'LoadBalancer') {
        if (have) {
          ipam.loadBalancers?.release(have);
          lbByService.delete(svc.metadata.uid);
          updateStatusIfChanged(store, svc, { ...status, loadBalancer: {} });
        }
        return;
      }
      if (have || !ipam.loadBalancers) return;
      const ip = ipam.loadBalancers.allocate();
      if (!ip.ok) return;
      lbByService.set(svc.metadata.uid, ip.value);
      updateStatusIfChanged(store, svc, { ...status, loadBalancer: { ingress: [{ ip: ip.value, ipMode: 'VIP' }] } });
    },
  };
  mgr.watch({ kind: 'Service' }, (e) => {
    if (e.type !== 'DELETED') {
      mgr.enqueue(ctrl, keyOf(e.object));
      return;
    }
    const svc = e.object as Service;
    if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') ipam.services.release(svc.spec.clusterIP);
    for (const p of (svc.spec?.ports ?? []) as ServicePort[]) if (p.nodePort !== undefined) ipam.releaseNodePort(p.nodePort);
    const lb = lbByService.get(svc.metadata.uid);
    if (lb) ipam.loadBalancers?.release(lb);
    lbByService.delete(svc.metadata.uid);
  });
  for (const s of store.scan('Service')) mgr.enqueue(ctrl, keyOf(s));
  return ctrl;
}
