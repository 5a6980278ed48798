-- Every node caches each tenant's active promotions; a change anywhere (promotion_state's version moves) is
-- announced on kasir_promotions with the tenant id, delivered at commit, so the caches drop that tenant at once
-- and a sale in a tenant without promotions needs no read to know it.
CREATE FUNCTION kasir_promotions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('kasir_promotions', NEW.tenant_id::text);
  RETURN NULL;
END $$;
CREATE TRIGGER promotion_state_notify AFTER INSERT OR UPDATE ON promotion_state
  FOR EACH ROW EXECUTE FUNCTION kasir_promotions_changed();
