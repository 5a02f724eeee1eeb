package io.misalignstream.devstack.quarkus;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A row the infrastructure test writes through Hibernate Reactive and reads back. */
@Entity
@Table(name = "devstack_probe")
public class ProbeRecord extends PanacheEntityBase {

    @Id
    public String id;

    @Column(columnDefinition = "text", nullable = false)
    public String text;
}
